import { join } from 'node:path';
import { startBrowserHost } from '../../browser-host/browser-host.js';
import { type LaunchFile, writeLaunchFile } from '../../browser-host/launch-file.js';
import { AppCore } from '../../core/app/app-core.js';
import type { CliEnvironment } from '../cli-environment.js';
import { UsageError } from '../usage-error.js';

export interface UiOptions {
  port?: string;
  noOpen?: boolean;
}

/**
 * `switchboard ui`: the desktop core with its UI in the system browser instead of the Electron
 * window. Prints the URL (its secret opens the UI once, in one tab) and, unless `--no-open`, opens
 * it through a private launch file, so the secret is on no command line (see `writeLaunchFile`);
 * runs until Ctrl-C, then stops the core (the proxy removes its kubeconfig).
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
  stderr.write('The link opens the UI once, in one tab; run `switchboard ui` again for another.\n');
  let launch: LaunchFile | undefined;
  if (!options.noOpen) {
    try {
      launch = await writeLaunchFile(join(environment.configDirectory, 'ui'), host.url);
      void host.secretUsed
        .then(() => launch?.remove())
        .catch((error: Error) => logger.warn({ err: error.message }, 'could not remove the UI launch file'));
      await environment.openBrowser(launch.url);
    } catch (error) {
      stderr.write(`Could not open a browser (${(error as Error).message}); open the URL above yourself.\n`);
    }
  }
  stderr.write('Keep this running while you use the UI; Ctrl-C stops it.\n');
  const signal = await stopped;
  stderr.write(`Received ${signal}; stopping…\n`);
  await launch?.remove();
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
