import { RelayApiClient } from '../../core/relay-client/relay-api.js';
import { normalizeRelayUrl } from '../../core/relay-client/relay-url.js';
import { AccountTokens } from '../../core/session/account-tokens.js';
import { claimedIdentity } from '../../core/session/identity-claims.js';
import type { CliEnvironment } from '../cli-environment.js';

interface WhoamiReport {
  relay: string;
  username: string;
  groups: string[];
  admin?: boolean;
  /** Where username and groups came from: the relay's own view, or the token's claims. */
  source: 'relay' | 'id_token claims' | 'access_token claims';
  sourceNote?: string;
  signInMethod: string;
  bearerToken: string;
  expiresAt?: string;
}

export async function whoami(
  options: { relay?: string; json?: boolean },
  environment: CliEnvironment,
): Promise<void> {
  const relayUrl = normalizeRelayUrl(await environment.registry.selectRelay(options.relay));
  const session = new AccountTokens(relayUrl, environment.store, { logger: environment.logger });
  const tokens = await session.tokens();
  const bearer = await session.bearerToken();
  const fromRelay = await new RelayApiClient(relayUrl).whoami(bearer.value);
  const common = {
    relay: relayUrl,
    signInMethod: tokens.grant.type.replace('_', ' '),
    bearerToken: bearer.kind,
    ...(bearer.expiresAt !== undefined && { expiresAt: new Date(bearer.expiresAt).toISOString() }),
  };
  let report: WhoamiReport;
  if (fromRelay.available) {
    report = { ...common, ...fromRelay.whoami, source: 'relay' };
  } else {
    const claims = claimedIdentity(tokens);
    report = {
      ...common,
      username: claims?.username ?? '(unknown)',
      groups: claims?.groups ?? [],
      source: claims?.source === 'access_token' ? 'access_token claims' : 'id_token claims',
      sourceNote: fromRelay.reason,
    };
  }
  environment.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
}

function formatReport(report: WhoamiReport): string {
  const lines = [
    `Relay:      ${report.relay}`,
    `User:       ${report.username}`,
    `Groups:     ${report.groups.length ? report.groups.join(', ') : '(none)'}`,
    ...(report.admin !== undefined ? [`Admin:      ${report.admin ? 'yes' : 'no'}`] : []),
    `Identity:   from the ${report.source}${report.sourceNote ? ` (${report.sourceNote})` : ''}`,
    `Signed in:  ${report.signInMethod}`,
    `Token:      ${report.bearerToken}, ${report.expiresAt ? `expires ${report.expiresAt}` : 'no expiry given'}`,
  ];
  return `${lines.join('\n')}\n`;
}
