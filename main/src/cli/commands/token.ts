import { normalizeRelayUrl } from '../../core/relay-client/relay-url.js';
import { AccountTokens } from '../../core/session/account-tokens.js';
import type { CliEnvironment } from '../cli-environment.js';

/** Prints the bearer token and nothing else on stdout, so `$(switchboard token)` just works. */
export async function token(options: { relay?: string }, environment: CliEnvironment): Promise<void> {
  const relayUrl = normalizeRelayUrl(await environment.registry.selectRelay(options.relay));
  const session = new AccountTokens(relayUrl, environment.store, { logger: environment.logger });
  const bearer = await session.bearerToken();
  environment.stdout.write(`${bearer.value}\n`);
}
