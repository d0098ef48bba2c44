/**
 * Failures as the UI sees them (`AppError`): a kind that picks the wording and the button, and a
 * message that says what was wrong and what to do. Every error leaving the core goes through
 * `toAppError`, so the renderer never sees a stack trace or an unmapped exception.
 */
import { z } from 'zod';
import type { AppError, AppErrorKind } from '../../app-contract/app-contract.js';
import { NoRelaySelectedError } from '../accounts/account-registry.js';
import { KubeApiError } from '../cluster-browser/kube-api-error.js';
import { PortInUseError } from '../local-proxy/local-proxy.js';
import { RelayApiError } from '../relay-client/relay-api.js';
import { RelayConfigurationError } from '../relay-client/relay-configuration.js';
import { InvalidRelayUrlError } from '../relay-client/relay-url.js';
import { SignInRequiredError } from '../session/sign-in-required-error.js';
import { IssuerDiscoveryError } from '../sign-in/issuer-connection.js';
import { RelayUnavailableError, TunnelRefusedError } from '../tunnel/tunnel-errors.js';

/** A failure the core raises on purpose, already in the UI's terms. */
export class AppRequestError extends Error {
  override readonly name = 'AppRequestError';
  constructor(
    readonly kind: AppErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function toAppError(error: unknown): AppError {
  const kind = kindOf(error);
  return { kind, message: messageOf(error) };
}

function kindOf(error: unknown): AppErrorKind {
  if (error instanceof AppRequestError) return error.kind;
  if (error instanceof z.ZodError) return 'invalid-request';
  if (error instanceof SignInRequiredError) return 'sign-in-required';
  if (error instanceof PortInUseError) return 'port-in-use';
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
  if (error instanceof TunnelRefusedError) {
    switch (error.refusal.reason) {
      case 'cluster-offline':
        return 'cluster-offline';
      case 'forbidden':
        return 'no-access';
      case 'unauthenticated':
        return 'sign-in-required';
      case 'unknown-cluster':
        return 'not-found';
      default:
        return 'internal';
    }
  }
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

function messageOf(error: unknown): string {
  // Its own message names the CLI's flags; in the app, the port is a field.
  if (error instanceof PortInUseError) {
    return `Port ${error.port} on 127.0.0.1 is already in use (another Switchboard proxy?); pick another port.`;
  }
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return `the request was refused: ${issue ? `${issue.path.join('.') || 'params'}: ${issue.message}` : 'invalid'}`;
  }
  return error instanceof Error ? error.message : String(error);
}
