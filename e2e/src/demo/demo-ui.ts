/**
 * The demo's UI: the Electron app where Electron is installed, otherwise the browser host
 * (`switchboard ui`'s server) in front of the demo's signed-in core, its URL printed.
 *
 * The browser host serves the demo's own core, so the UI shows and controls the local proxy whose
 * `export KUBECONFIG=…` line the demo printed. The Electron app runs its own core in its own
 * process (as it does for users), with its own config directory under the demo's and the demo
 * relay preselected: it signs in through the system browser as the demo's human user, and runs a
 * proxy of its own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { BrowserHost } from '@switchboard/main/browser-host';
import { ELECTRON_MAIN, electronBinary, RELAY_URL_ENV } from '@switchboard/main/electron-binary';

export interface DemoUi {
  description: string;
  close(): Promise<void>;
}

export interface DemoUiOptions {
  relayUrl: string;
  /** The demo's data directory. */
  dir: string;
  /** The demo's human user, who signs in to the Electron app. */
  human: { username: string; password: string };
  startBrowserHost: () => Promise<BrowserHost>;
}

export async function openDemoUi(options: DemoUiOptions): Promise<DemoUi> {
  const binary = electronBinary();
  if (binary) return openElectron(binary, options);
  const host = await options.startBrowserHost();
  return {
    description: `  UI           ${host.url}   (opens once, in one tab; signed in as the demo user, with the local proxy above; Electron is not installed here)\n`,
    close: () => host.close(),
  };
}

function openElectron(binary: string, options: DemoUiOptions): DemoUi {
  const child: ChildProcess = spawn(binary, [ELECTRON_MAIN], {
    stdio: 'ignore',
    env: {
      ...process.env,
      SWITCHBOARD_CONFIG_DIR: join(options.dir, 'electron'),
      [RELAY_URL_ENV]: options.relayUrl,
    },
  });
  const { username, password } = options.human;
  return {
    description: `  UI           the Switchboard desktop app (sign in as ${username}, password "${password}")\n`,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
