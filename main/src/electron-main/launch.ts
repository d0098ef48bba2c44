#!/usr/bin/env node
/**
 * `npm start`: runs the Electron app where Electron is installed. Where it is not (its binary
 * cannot be downloaded everywhere), says so and how to use the same app in a browser instead.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ELECTRON_MAIN, electronBinary } from './electron-binary.js';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const binary = electronBinary();
  if (!binary) {
    process.stderr.write(
      'Electron is not installed here (its binary was not downloaded), so the desktop window cannot start.\n' +
        'Use the same app in your browser instead:\n\n  npx --no -- switchboard ui\n\n' +
        'To get Electron: unset ELECTRON_SKIP_BINARY_DOWNLOAD and run `npm rebuild electron`.\n',
    );
    process.exit(1);
  }
  const child = spawn(binary, [ELECTRON_MAIN, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
}
