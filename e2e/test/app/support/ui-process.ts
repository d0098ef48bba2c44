/**
 * The real `switchboard ui` process (`--no-open` unless asked to open), as a user runs it, with
 * everything it touches kept private to one test file: a gnome-keyring on a private D-Bus
 * (KeychainTokenStore and the local proxy's sealed identity use it), HOME and KUBECONFIG in a temp
 * dir (merge writes there), its own config directory (the proxy on port 0), and `$BROWSER` set to a
 * script that records each URL it is given "in the system browser", and its own command line (as
 * `/proc` shows it to every local user), so the test can play the user there.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type PrivateKeyring, startPrivateKeyring } from '@switchboard/test-support/private-keyring';
import { type Child, Processes } from '../../faults/support/processes.js';
import { SWITCHBOARD_CLI } from '../../support/entry-points.js';

export interface UiProcess {
  /** `http://127.0.0.1:<port>/?secret=…`, as printed. */
  url: string;
  keyring: PrivateKeyring;
  /** `SWITCHBOARD_CONFIG_DIR` of the process. */
  configDirectory: string;
  /** The kubeconfig `Merge into ~/.kube/config` acts on (`$KUBECONFIG`). */
  userKubeconfig: string;
  child: Child;
  /** The next URL the core opened in the "system browser" (each is returned once). */
  nextOpenedUrl(timeoutMs?: number): Promise<string>;
  /** The command lines the "system browser" was started with so far, arguments NUL-separated. */
  browserCommandLines(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startUiProcess({ open = false }: { open?: boolean } = {}): Promise<UiProcess> {
  const keyring = await startPrivateKeyring();
  const processes = new Processes();
  try {
    const home = keyring.env.HOME!;
    const configDirectory = join(home, '.config', 'switchboard');
    const userKubeconfig = join(home, '.kube', 'config');
    const openedFile = join(keyring.root, 'opened-urls');
    const commandLinesFile = join(keyring.root, 'browser-command-lines');
    const browser = join(keyring.root, 'record-browser.sh');
    await mkdir(configDirectory, { recursive: true, mode: 0o700 });
    // Port 0: a free port for the proxy (the UI itself only offers 1024–65535).
    await writeFile(
      join(configDirectory, 'app-settings.json'),
      `${JSON.stringify({ backgroundMode: false, proxy: { enabled: true, port: 0 } })}\n`,
      { mode: 0o600 },
    );
    await writeFile(openedFile, '');
    await writeFile(commandLinesFile, '');
    // The command line is recorded before the URL: a test that has waited for the URL reads both.
    await writeFile(
      browser,
      `#!/bin/sh\n{ cat /proc/$$/cmdline; printf '\\n'; } >> '${commandLinesFile}'\n` +
        `printf '%s\\n' "$1" >> '${openedFile}'\n`,
    );
    await chmod(browser, 0o755);

    const args = [SWITCHBOARD_CLI, 'ui', ...(open ? [] : ['--no-open'])];
    const child = processes.start('switchboard-ui', process.execPath, args, {
      ...keyring.env,
      SWITCHBOARD_CONFIG_DIR: configDirectory,
      KUBECONFIG: userKubeconfig,
      BROWSER: browser,
      SWITCHBOARD_LOG_LEVEL: 'warn',
    });
    const [, url] = await child.waitFor(/Switchboard UI: (\S+)/, { timeoutMs: 30_000 });

    let consumed = 0;
    return {
      url: url!,
      keyring,
      configDirectory,
      userKubeconfig,
      child,
      async nextOpenedUrl(timeoutMs = 30_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const lines = (await readFile(openedFile, 'utf8')).split('\n').filter(Boolean);
          if (lines.length > consumed) return lines[consumed++]!;
          if (!child.running) throw new Error(`switchboard ui exited before opening a URL\n${child.tail()}`);
          if (Date.now() > deadline) throw new Error(`switchboard ui opened no URL within ${timeoutMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      async browserCommandLines() {
        return (await readFile(commandLinesFile, 'utf8')).split('\n').filter(Boolean);
      },
      async stop() {
        await child.stop('SIGTERM', 10_000);
        await processes.stopAll();
        await keyring.stop();
      },
    };
  } catch (error) {
    await processes.stopAll();
    await keyring.stop();
    throw error;
  }
}
