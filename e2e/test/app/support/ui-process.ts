/**
 * The real `switchboard ui` process (`--no-open` unless asked to open), as a user runs it, with
 * everything it touches kept private to one test file: a gnome-keyring on a private D-Bus
 * (KeychainTokenStore and the local proxy's sealed identity use it), HOME and KUBECONFIG in a temp
 * dir (merge writes there), its own config directory (the proxy on port 0), and `$BROWSER` set to a
 * script that records each URL it is given "in the system browser", and its own command line (as
 * `/proc` shows it to every local user), so the test can play the user there.
 *
 * Two faults a test can ask for: a `$BROWSER` that records the URL but fails as xdg-open does when
 * it finds no browser (`browser: 'fails'`), and a keychain that is not there at start
 * (`keychain: 'missing'`: the session bus address leads nowhere until `provideKeychain()`).
 */
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
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
  /** With `keychain: 'missing'`: the keyring appears where the process looks for its session bus. */
  provideKeychain(): Promise<void>;
  stop(): Promise<void>;
}

export interface UiProcessOptions {
  open?: boolean;
  /** `fails`: the "system browser" records each URL, then exits 3 (xdg-open's "no browser found"). */
  browser?: 'records' | 'fails';
  keychain?: 'available' | 'missing';
}

export async function startUiProcess({
  open = false,
  browser: browserBehaviour = 'records',
  keychain = 'available',
}: UiProcessOptions = {}): Promise<UiProcess> {
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
        `printf '%s\\n' "$1" >> '${openedFile}'\n${browserBehaviour === 'fails' ? 'exit 3\n' : ''}`,
    );
    await chmod(browser, 0o755);

    const busSocket = /^unix:path=([^,]+)/.exec(keyring.env.DBUS_SESSION_BUS_ADDRESS ?? '')?.[1];
    if (busSocket === undefined) throw new Error('the private keyring has no unix socket bus address');
    const laterBusSocket = join(keyring.root, 'bus-provided-later');
    const args = [SWITCHBOARD_CLI, 'ui', ...(open ? [] : ['--no-open'])];
    const child = processes.start('switchboard-ui', process.execPath, args, {
      ...keyring.env,
      ...(keychain === 'missing' && { DBUS_SESSION_BUS_ADDRESS: `unix:path=${laterBusSocket}` }),
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
      async provideKeychain() {
        if (keychain !== 'missing') throw new Error('the keychain was there from the start');
        // A client connecting to the socket's path follows the link to the bus.
        await symlink(busSocket, laterBusSocket);
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
