import { spawn } from 'node:child_process';

/**
 * Shows a URL to the user in a browser. The Electron main process passes `shell.openExternal`;
 * the CLI uses `openInSystemBrowser`; tests pass one that drives headless Chromium.
 */
export type BrowserOpener = (url: string) => Promise<void>;

/**
 * How long an opener that is still running counts as "it failed" if it exits non-zero: openers
 * such as xdg-open exit at once when they find no browser, while a browser started directly by
 * `$BROWSER` keeps running for as long as it is open.
 */
const OPENER_SETTLE_MS = 2_000;

/**
 * Opens the URL with `$BROWSER` when set (the convention xdg-open, git and Python's webbrowser
 * honour; also how tests substitute a scripted browser), else the platform opener. Arguments go
 * to the process directly, never through a shell, so a URL cannot inject commands.
 *
 * Resolves once the opener exited successfully, or is still running after a moment (a browser
 * that stays open); rejects, saying why, when it could not start or exited with a failure, so the
 * caller can tell the person that no browser opened rather than that one did.
 */
export function openInSystemBrowser(
  env: NodeJS.ProcessEnv = process.env,
  settleMs: number = OPENER_SETTLE_MS,
): BrowserOpener {
  return (url) => {
    const [command, args] = openerCommand(url, env);
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        stdio: 'ignore',
        detached: true,
        windowsHide: true,
        // cmd.exe has its own quoting rules; the arguments below are already quoted for it.
        windowsVerbatimArguments: process.platform === 'win32' && !env.BROWSER,
      });
      let settleTimer: NodeJS.Timeout | undefined;
      child.once('error', (error) =>
        reject(new Error(`cannot start the browser (${command}): ${error.message}`)),
      );
      child.once('spawn', () => {
        settleTimer = setTimeout(() => {
          child.unref();
          resolve();
        }, settleMs);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(settleTimer);
        if (code === 0) resolve();
        else
          reject(
            new Error(
              `the browser command (${command}) failed ${signal ? `on signal ${signal}` : `with exit code ${code}`}`,
            ),
          );
      });
    });
  };
}

function openerCommand(url: string, env: NodeJS.ProcessEnv): [string, string[]] {
  if (env.BROWSER) return [env.BROWSER, [url]];
  switch (process.platform) {
    case 'darwin':
      return ['open', [url]];
    case 'win32':
      // `start` is a cmd built-in. The empty string is the window title (start would take the
      // quoted URL as one), and quoting the URL keeps cmd from splitting it at `&`.
      return ['cmd.exe', ['/d', '/s', '/c', `start "" "${url}"`]];
    default:
      return ['xdg-open', [url]];
  }
}
