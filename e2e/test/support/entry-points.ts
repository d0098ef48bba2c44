import { fileURLToPath } from 'node:url';

/** The built `switchboard` CLI, as users run it (a file to run, not a module to import). */
export const CLI_ENTRY = fileURLToPath(new URL('../../../main/dist/cli/main.js', import.meta.url));
