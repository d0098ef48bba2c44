import { normalizeRelayUrl } from '../../core/relay-client/relay-url.js';
import { bearerTokenOf } from '../../core/session/bearer-token.js';
import { claimedIdentity } from '../../core/session/identity-claims.js';
import { DEFAULT_BROWSER_SIGN_IN_TIMEOUT_MS } from '../../core/sign-in/browser-sign-in.js';
import { type SignInMethod, signInToRelay } from '../../core/sign-in/sign-in-to-relay.js';
import type { CliEnvironment } from '../cli-environment.js';
import { UsageError } from '../usage-error.js';

export interface LoginOptions {
  relay?: string;
  deviceCode?: boolean;
  clientId?: string;
  clientSecretFile?: string;
  scope?: string;
  timeout?: string;
}

export async function login(options: LoginOptions, environment: CliEnvironment): Promise<void> {
  const relayUrl = normalizeRelayUrl(await environment.registry.selectRelay(options.relay));
  const method = signInMethod(options, environment);
  const tokens = await signInToRelay(relayUrl, method, environment.store);
  await environment.registry.addSignedIn(relayUrl);
  const who = claimedIdentity(tokens)?.username ?? 'an unnamed identity';
  const expiresAt = bearerTokenOf(tokens)?.expiresAt;
  environment.stdout.write(
    `Signed in to ${relayUrl} as ${who}${expiresAt ? ` (token valid until ${new Date(expiresAt).toISOString()})` : ''}.\n`,
  );
}

function signInMethod(options: LoginOptions, environment: CliEnvironment): SignInMethod {
  const { stderr } = environment;
  if (options.clientId !== undefined || options.clientSecretFile !== undefined) {
    if (!options.clientId || !options.clientSecretFile) {
      throw new UsageError('a service principal needs both --client-id and --client-secret-file');
    }
    if (options.deviceCode)
      throw new UsageError('--device-code and --client-id are different sign-in methods; pick one');
    return {
      kind: 'client-credentials',
      clientId: options.clientId,
      clientSecretFile: options.clientSecretFile,
      ...(options.scope !== undefined && { scope: options.scope }),
    };
  }
  if (options.scope !== undefined) throw new UsageError('--scope applies only to --client-id sign-ins');
  if (options.deviceCode) {
    return {
      kind: 'device-code',
      onPrompt: (prompt) => {
        stderr.write(
          `To sign in, open ${prompt.verificationUri} on any device and enter the code ${prompt.userCode}\n` +
            (prompt.verificationUriComplete ? `(or open ${prompt.verificationUriComplete})\n` : '') +
            `The code expires in ${Math.round(prompt.expiresInSeconds / 60)} minutes. Waiting for approval…\n`,
        );
      },
    };
  }
  return {
    kind: 'browser',
    openBrowser: async (url) => {
      try {
        await environment.openBrowser(url);
      } catch (error) {
        // The URL is already printed; the user can still open it by hand.
        environment.logger.warn({ err: error }, 'could not open a browser');
      }
    },
    onAuthorizationUrl: (url) =>
      stderr.write(`Opening your browser to sign in. If it does not open, visit:\n\n  ${url}\n\n`),
    timeoutMs: parseTimeout(options.timeout),
  };
}

function parseTimeout(timeout: string | undefined): number {
  if (timeout === undefined) return DEFAULT_BROWSER_SIGN_IN_TIMEOUT_MS;
  const seconds = Number(timeout);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`--timeout takes a number of seconds, not "${timeout}"`);
  return seconds * 1000;
}
