/**
 * Failures as the UI sees them (`AppError`): a kind that picks the wording and the button, a
 * message that says what was wrong and what to do, and the code a peer gave (a tunnel refusal's
 * reason). Every error leaving the core goes through `toAppError`, so the renderer never sees a
 * stack trace or an unmapped exception. Kinds and codes come from the errors' types and fields,
 * never from their messages.
 */

import type { AppError, AppErrorCode, AppErrorKind } from '@switchboard/contract/app';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { NoRelaySelectedError } from '../accounts/account-registry.js';
import { KubeApiError } from '../cluster-browser/kube-api-error.js';
import { PortInUseError } from '../local-proxy/local-proxy.js';
import { RelayApiError } from '../relay-client/relay-api.js';
import { RelayConfigurationError } from '../relay-client/relay-configuration.js';
import { InvalidRelayUrlError } from '../relay-client/relay-url.js';
import { SignInRequiredError } from '../session/sign-in-required-error.js';
import { describeAuthorizationFailure, SignInTimedOutError } from '../sign-in/browser-sign-in.js';
import { DeviceCodeNotOfferedError } from '../sign-in/device-code-sign-in.js';
import { IssuerDiscoveryError } from '../sign-in/issuer-connection.js';
import { KeychainUnavailableError } from '../token-store/os-keychain.js';
import { RelayUnavailableError, TunnelRefusedError } from '../tunnel/tunnel-errors.js';
import { keychainUnavailableMessage } from './keychain-unavailable-message.js';

/** A failure in the UI's terms, thrown on purpose or made from another error by `from`. */
export class AppRequestError extends Error {
  override readonly name = 'AppRequestError';
  readonly code: AppErrorCode | undefined;
  constructor(
    readonly kind: AppErrorKind,
    message: string,
    options?: ErrorOptions & { code?: AppErrorCode },
  ) {
    super(message, options);
    this.code = options?.code;
  }

  /** Any error in the UI's terms, its kind and code kept; the original is the cause. */
  static from(error: unknown): AppRequestError {
    if (error instanceof AppRequestError) return error;
    const { kind, message, code } = toAppError(error);
    return new AppRequestError(kind, message, { cause: error, ...(code !== undefined && { code }) });
  }
}

/** What each refusal of a tunnel stream means to the person. */
const REFUSAL_KINDS: Record<AppErrorCode, AppErrorKind> = {
  'cluster-offline': 'cluster-offline',
  forbidden: 'no-access',
  unauthenticated: 'sign-in-required',
  'unknown-cluster': 'not-found',
  'rate-limited': 'internal',
  'bad-request': 'internal',
};

export function toAppError(error: unknown): AppError {
  const code = codeOf(error);
  return { kind: kindOf(error), message: messageOf(error), ...(code !== undefined && { code }) };
}

function codeOf(error: unknown): AppErrorCode | undefined {
  if (error instanceof AppRequestError) return error.code;
  if (error instanceof TunnelRefusedError) return error.refusal.reason;
  return undefined;
}

function kindOf(error: unknown): AppErrorKind {
  if (error instanceof AppRequestError) return error.kind;
  if (error instanceof z.ZodError) return 'invalid-request';
  if (error instanceof SignInRequiredError) return 'sign-in-required';
  if (error instanceof PortInUseError) return 'port-in-use';
  if (error instanceof KeychainUnavailableError) return 'keychain-unavailable';
  if (
    error instanceof SignInTimedOutError ||
    error instanceof DeviceCodeNotOfferedError ||
    error instanceof oidc.AuthorizationResponseError ||
    error instanceof oidc.ResponseBodyError
  ) {
    return 'sign-in-failed';
  }
  if (
    error instanceof RelayUnavailableError ||
    error instanceof RelayConfigurationError ||
    error instanceof IssuerDiscoveryError
  ) {
    return 'relay-unreachable';
  }
  if (error instanceof RelayApiError) {
    if (error.status === 0) return 'relay-unreachable';
    if (error.status === 401) return 'sign-in-required';
    if (error.status === 403) return 'no-access';
    if (error.status === 404) return 'not-found';
    return 'internal';
  }
  if (error instanceof TunnelRefusedError) return REFUSAL_KINDS[error.refusal.reason];
  if (error instanceof InvalidRelayUrlError || error instanceof NoRelaySelectedError)
    return 'invalid-request';
  if (error instanceof KubeApiError) return kindOfClusterAnswer(error.code);
  return 'internal';
}

/**
 * A cluster's own answer (through its agent, which answers 503 when it cannot reach the apiserver);
 * what went wrong on the way there arrives as the tunnel's typed errors instead.
 */
function kindOfClusterAnswer(code: number): AppErrorKind {
  if (code === 401) return 'sign-in-required';
  if (code === 403) return 'no-access';
  if (code === 404) return 'not-found';
  if (code === 503) return 'cluster-offline';
  if (code === 400 || code === 409 || code === 422) return 'invalid-request';
  return 'internal';
}

/**
 * The app's wording where an error's own message is the CLI's (it names commands and flags): the
 * app offers buttons instead.
 */
function messageOf(error: unknown): string {
  if (error instanceof PortInUseError) {
    return `Port ${error.port} on 127.0.0.1 is already in use (another Switchboard proxy?); pick another port.`;
  }
  if (error instanceof KeychainUnavailableError) return keychainUnavailableMessage(error);
  if (error instanceof SignInTimedOutError) {
    return `No sign-in was completed in the browser within ${Math.round(error.timeoutMs / 60_000)} minutes. Sign in again; if your browser is on another computer, or cannot reach this one, use a sign-in code.`;
  }
  if (error instanceof DeviceCodeNotOfferedError) {
    return `The identity provider of this relay (${error.issuer}) does not offer sign-in with a code. Sign in with the browser instead, or ask the relay’s administrator to enable the device authorization grant.`;
  }
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) {
    return `The sign-in did not complete: ${describeAuthorizationFailure(error)} Sign in again.`;
  }
  if (error instanceof SignInRequiredError) return `Sign in to ${error.relayUrl} again (${error.reason}).`;
  if (error instanceof NoRelaySelectedError) return 'No relay is chosen yet: enter the relay’s URL first.';
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return `the request was refused: ${issue ? `${issue.path.join('.') || 'params'}: ${issue.message}` : 'invalid'}`;
  }
  return error instanceof Error ? error.message : String(error);
}
