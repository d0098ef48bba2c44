import { startBrowserHost } from '../../browser-host/browser-host.js';
import { AppCore } from '../../core/app/app-core.js';
import type { CliEnvironment } from '../cli-environment.js';
import { UsageError } from '../usage-error.js';

export interface UiOptions {
  port?: string;
  noOpen?: boolean;
}

/**
 * `switchboard ui`: the desktop core with its UI in the system browser instead of the Electron
 * window. Prints the URL (it carries the one-time secret) and opens it unless `--no-open`; runs
 * until Ctrl-C, then stops the core (the proxy removes its kubeconfig).
 */
export async function ui(options: UiOptions, environment: CliEnvironment): Promise<void> {
  const { stdout, stderr, logger } = environment;
  const port = parseUiPort(options.port);
  const stopped = environment.stopSignal();
  const core = await AppCore.start({
    configDirectory: environment.configDirectory,
    store: environment.store,
    localIdentityStore: environment.localIdentityStore,
    logger,
    openBrowser: environment.openBrowser,
  });
  let host: Awaited<ReturnType<typeof startBrowserHost>>;
  try {
    host = await startBrowserHost({ core, port, logger });
  } catch (error) {
    await core.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${port} on 127.0.0.1 is already in use; pass --port N for another one`);
    }
    throw error;
  }
  stdout.write(`Switchboard UI: ${host.url}\n`);
  if (!options.noOpen) {
    await environment.openBrowser(host.url).catch((error: Error) => {
      stderr.write(`Could not open a browser (${error.message}); open the URL above yourself.\n`);
    });
  }
  stderr.write('Keep this running while you use the UI; Ctrl-C stops it.\n');
  const signal = await stopped;
  stderr.write(`Received ${signal}; stopping…\n`);
  await host.close();
  await core.close();
}

function parseUiPort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new UsageError(`--port takes a port number (0 for any free port), not "${value}"`);
  }
  return port;
}
