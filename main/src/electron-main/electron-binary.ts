import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The Electron main process entry (what `electron <file>` runs). */
export const ELECTRON_MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

/** Lets a launcher preselect the relay (the demo does); the app still signs in through the system browser. */
export const RELAY_URL_ENV = 'SWITCHBOARD_RELAY_URL';

/** The Electron binary's path, or undefined when the package has no binary. */
export function electronBinary(): string | undefined {
  try {
    // The `electron` package's main export is the path of the binary it downloaded; it throws
    // when the download was skipped (ELECTRON_SKIP_BINARY_DOWNLOAD) or failed.
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' ? path : undefined;
  } catch {
    return undefined;
  }
}
