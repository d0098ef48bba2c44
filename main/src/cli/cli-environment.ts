import { join } from 'node:path';
import { AccountRegistry } from '../core/accounts/account-registry.js';
import { switchboardConfigDirectory } from '../core/files/config-directory.js';
import { KeychainLocalIdentityStore, type LocalIdentityStore } from '../core/local-proxy/local-identity.js';
import { createLogger, type Logger } from '../core/logging/logger.js';
import { type BrowserOpener, openInSystemBrowser } from '../core/sign-in/browser-opener.js';
import { KeychainTokenStore } from '../core/token-store/keychain-token-store.js';
import type { TokenStore } from '../core/token-store/token-store.js';

/** What commands act on and write to; built once per process from the real environment. */
export interface CliEnvironment {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  store: TokenStore;
  registry: AccountRegistry;
  logger: Logger;
  openBrowser: BrowserOpener;
  /** Where Switchboard keeps its per-user files (own kubeconfig, merge records). */
  configDirectory: string;
  /** The local proxy's CA, serving key and local credential (sealed with a keychain key). */
  localIdentityStore: LocalIdentityStore;
  /** Resolves when the user asks a long-running command (`proxy`) to stop: SIGINT or SIGTERM. */
  stopSignal: () => Promise<string>;
  env: NodeJS.ProcessEnv;
}

export function cliEnvironmentFromProcess(): CliEnvironment {
  const configDirectory = switchboardConfigDirectory();
  const logger = createLogger();
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    store: new KeychainTokenStore(join(configDirectory, 'tokens'), logger),
    registry: new AccountRegistry(configDirectory),
    logger,
    openBrowser: openInSystemBrowser(),
    configDirectory,
    localIdentityStore: new KeychainLocalIdentityStore(join(configDirectory, 'local-proxy'), logger),
    stopSignal: () =>
      new Promise((resolve) => {
        const onSignal = (signal: string) => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve(signal);
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      }),
    env: process.env,
  };
}
