/**
 * An unpacked Electron distribution for linux-x64 that electron-builder can pack offline: the
 * files it moves or renames (the `electron` executable, `LICENSE`, `version`, `resources/`), with a
 * script in place of the binary that says what it is. The real binary cannot be downloaded on our
 * machines; what `dist:check` verifies is the app electron-builder lays beside it, not Electron.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes the stand-in into `directory` (created) and returns it, for electron-builder's `electronDist`. */
export function writeStandInElectron(directory: string, electronVersion: string): string {
  mkdirSync(join(directory, 'resources'), { recursive: true });
  const executable = join(directory, 'electron');
  writeFileSync(
    executable,
    '#!/bin/sh\necho "This is the stand-in for Electron that npm run dist:check packs with; it cannot run the app." >&2\nexit 1\n',
  );
  chmodSync(executable, 0o755);
  writeFileSync(join(directory, 'version'), `${electronVersion}\n`);
  writeFileSync(join(directory, 'LICENSE'), 'Stand-in for the Electron distribution (MIT licensed).\n');
  return directory;
}
