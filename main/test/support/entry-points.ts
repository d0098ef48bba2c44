import { fileURLToPath } from 'node:url';

/** The built `switchboard` CLI, as users run it. */
export const CLI_ENTRY = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
/** Runs keychain token-store operations in a child process that sees a private keyring. */
export const KEYCHAIN_DRIVER = fileURLToPath(new URL('./keychain-driver.mjs', import.meta.url));
