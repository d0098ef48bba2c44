import { join } from 'node:path';
import { AccountRegistry } from '../core/accounts/account-registry.js';
import { switchboardConfigDirectory } from '../core/files/config-directory.js';
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
  };
}
