import * as oidc from 'openid-client';
import type { SwitchboardConfiguration } from '../relay-client/relay-configuration.js';
import { connectToIssuer, resourceParameters, userSignInScope } from './issuer-connection.js';

/** The relay's issuer publishes no device authorization endpoint: it does not offer sign-in with a code. */
export class DeviceCodeNotOfferedError extends Error {
  override readonly name = 'DeviceCodeNotOfferedError';
  constructor(readonly issuer: string) {
    super(
      `the identity provider ${issuer} does not offer sign-in with a code (it publishes no device authorization endpoint); sign in with a browser instead`,
    );
  }
}

/** What the user must do on another device to approve the sign-in. */
export interface DeviceCodePrompt {
  verificationUri: string;
  /** The verification URI with the code filled in, when the issuer provides one. */
  verificationUriComplete?: string;
  userCode: string;
  expiresInSeconds: number;
}

/**
 * OAuth 2.0 device authorization grant (RFC 8628) for machines without a browser. Polling
 * follows the issuer's `interval`, adds 5 seconds on every `slow_down`, keeps waiting on
 * `authorization_pending`, and stops at the code's expiry (openid-client implements these rules).
 */
export async function signInWithDeviceCode(
  configuration: SwitchboardConfiguration,
  options: { onPrompt: (prompt: DeviceCodePrompt) => void; signal?: AbortSignal },
): Promise<oidc.TokenEndpointResponse> {
  const issuer = await connectToIssuer(configuration.issuer, configuration.clientId);
  if (!issuer.serverMetadata().device_authorization_endpoint) {
    throw new DeviceCodeNotOfferedError(configuration.issuer);
  }
  const authorization = await oidc.initiateDeviceAuthorization(issuer, {
    scope: userSignInScope(configuration),
    ...resourceParameters(configuration),
  });
  options.onPrompt({
    verificationUri: authorization.verification_uri,
    ...(authorization.verification_uri_complete !== undefined && {
      verificationUriComplete: authorization.verification_uri_complete,
    }),
    userCode: authorization.user_code,
    expiresInSeconds: authorization.expires_in,
  });
  const polling = oidc.pollDeviceAuthorizationGrant(
    issuer,
    authorization,
    resourceParameters(configuration),
    options.signal ? { signal: options.signal } : {},
  );
  return options.signal ? endingAtAbort(polling, options.signal) : polling;
}

/**
 * openid-client looks at the signal only between waits of up to 5 seconds; a cancelled sign-in
 * ends at once, and the polling loop, which stops at its next look, is left to settle unheard.
 */
function endingAtAbort<T>(polling: Promise<T>, signal: AbortSignal): Promise<T> {
  polling.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('sign-in cancelled'));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    polling.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
