#!/usr/bin/env node
// Committed so that `npm ci` links `switchboard` before anything is built; it loads the built CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  process.stderr.write(`switchboard is not built yet: run \`npm run build\` in ${root}\n`);
  process.exit(1);
}
await import(entry.href);
