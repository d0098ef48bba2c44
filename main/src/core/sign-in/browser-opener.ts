import { spawn } from 'node:child_process';

/**
 * Shows a URL to the user in a browser. The Electron main process passes `shell.openExternal`;
 * the CLI uses `openInSystemBrowser`; tests pass one that drives headless Chromium.
 */
export type BrowserOpener = (url: string) => Promise<void>;

/**
 * Opens the URL with `$BROWSER` when set (the convention xdg-open, git and Python's webbrowser
 * honour; also how tests substitute a scripted browser), else the platform opener. Arguments go
 * to the process directly, never through a shell, so a URL cannot inject commands.
 */
export function openInSystemBrowser(env: NodeJS.ProcessEnv = process.env): BrowserOpener {
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
      child.once('error', (error) =>
        reject(new Error(`cannot start the browser (${command}): ${error.message}`)),
      );
      // Openers return as soon as they have handed the URL over; a browser started by $BROWSER
      // may keep running, so success is "it started", not "it exited".
      child.once('spawn', () => {
        child.unref();
        resolve();
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
