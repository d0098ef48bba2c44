import * as oidc from 'openid-client';
import type { SwitchboardConfiguration } from '../relay-client/relay-configuration.js';
import type { BrowserOpener } from './browser-opener.js';
import { connectToIssuer, resourceParameters, userSignInScope } from './issuer-connection.js';
import { LoopbackCallbackServer, type SignInStarter } from './loopback-callback-server.js';

/** Nobody completed the browser sign-in in time. */
export class SignInTimedOutError extends Error {
  override readonly name = 'SignInTimedOutError';
  constructor(readonly timeoutMs: number) {
    super(
      `no sign-in was completed in the browser within ${Math.round(timeoutMs / 1000)} seconds. ` +
        'If no browser opened, open the printed URL yourself; on a machine without a browser use --device-code.',
    );
  }
}

export interface BrowserSignInOptions {
  openBrowser: BrowserOpener;
  /** Called with the authorization URL before the browser opens, so the user can open it by hand. */
  onAuthorizationUrl?: (url: string) => void;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Who the page at the end of the sign-in sends the person back to (default: the terminal). */
  startedBy?: SignInStarter;
}

export const DEFAULT_BROWSER_SIGN_IN_TIMEOUT_MS = 5 * 60_000;

/**
 * Authorization code + PKCE through the system browser with a loopback redirect (RFC 8252).
 * `state` protects the callback against cross-site requests, `nonce` binds the ID token to this
 * sign-in, and PKCE binds the code to this process. Returns the token endpoint response.
 */
export async function signInWithBrowser(
  configuration: SwitchboardConfiguration,
  options: BrowserSignInOptions,
): Promise<oidc.TokenEndpointResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_BROWSER_SIGN_IN_TIMEOUT_MS;
  const issuer = await connectToIssuer(configuration.issuer, configuration.clientId);
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const callbackServer = await LoopbackCallbackServer.listen(state, options.startedBy ?? 'terminal');
  try {
    const authorizationUrl = oidc.buildAuthorizationUrl(issuer, {
      redirect_uri: callbackServer.redirectUri,
      scope: userSignInScope(configuration),
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...resourceParameters(configuration),
    });
    options.onAuthorizationUrl?.(authorizationUrl.href);
    await options.openBrowser(authorizationUrl.href);

    const callback = await withDeadline(callbackServer.nextCallback(), timeoutMs, options.signal);
    try {
      const tokens = await oidc.authorizationCodeGrant(
        issuer,
        callback.url,
        { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true },
        { redirect_uri: callbackServer.redirectUri, ...resourceParameters(configuration) },
      );
      callback.finish({ ok: true });
      return tokens;
    } catch (error) {
      callback.finish({ ok: false, message: describeAuthorizationFailure(error) });
      throw error;
    }
  } finally {
    await callbackServer.close();
  }
}

function withDeadline<T>(promise: Promise<T>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // Cancelled while the issuer was being discovered or the browser opened: no listener would fire.
    if (signal?.aborted) {
      reject(signal.reason ?? new Error('sign-in cancelled'));
      return;
    }
    const timer = setTimeout(() => {
      reject(new SignInTimedOutError(timeoutMs));
    }, timeoutMs);
    const onAbort = () => reject(signal?.reason ?? new Error('sign-in cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

/** The issuer's own words (`error_description`) when it refused, else the error message. */
export function describeAuthorizationFailure(error: unknown): string {
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) {
    return `the identity provider refused: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}.`;
  }
  return error instanceof Error ? `${error.message}.` : 'unknown error.';
}
