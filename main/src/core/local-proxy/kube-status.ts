/**
 * Failures of the local proxy as Kubernetes `Status` objects, the error body every Kubernetes
 * client knows how to print (`Error from server (ServiceUnavailable): …`).
 */
import { type KubeStatus, kubeStatus } from '@switchboard/contract/problem-details';
import { type OpenRefusal, openRefusalSchema } from '@switchboard/contract/tunnel';
import { ErrorCode, StreamResetError } from '@switchboard/protocol';
import { SignInRequiredError } from '../session/sign-in-required-error.js';

/** The relay session is not up (never connected, or reconnecting). */
export class RelayUnavailableError extends Error {
  override readonly name = 'RelayUnavailableError';
  constructor(
    readonly relayUrl: string,
    readonly detail: string,
  ) {
    super(`the Switchboard relay ${relayUrl} is unreachable (${detail}); the local proxy keeps retrying`);
  }
}

/** The relay (or the agent behind it) refused to open the stream, with the contract's reason. */
export class TunnelRefusedError extends Error {
  override readonly name = 'TunnelRefusedError';
  constructor(
    readonly refusal: OpenRefusal,
    readonly cluster: string,
  ) {
    super(`${refusal.reason}: ${refusal.message}`);
  }
}

/** Reads a refusal out of an RST reason, when it is one (code REJECTED with the contract's JSON). */
export function refusalOf(error: unknown): OpenRefusal | undefined {
  if (!(error instanceof StreamResetError) || error.code !== ErrorCode.Rejected) return undefined;
  try {
    const parsed = openRefusalSchema.safeParse(JSON.parse(error.reason));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** What kubectl should see when a request could not be forwarded. */
export function statusForFailure(error: unknown, context: { cluster: string; relayUrl: string }): KubeStatus {
  const { cluster, relayUrl } = context;
  const login = `run \`switchboard login --relay ${relayUrl}\``;
  if (error instanceof SignInRequiredError) {
    return kubeStatus(401, 'Unauthorized', `Switchboard: sign-in required (${error.reason}); ${login}`);
  }
  if (error instanceof RelayUnavailableError) {
    return kubeStatus(503, 'ServiceUnavailable', `Switchboard: ${error.message}`);
  }
  const refusal = error instanceof TunnelRefusedError ? error.refusal : refusalOf(error);
  if (refusal) {
    const detail = refusal.message ? ` (${refusal.message})` : '';
    switch (refusal.reason) {
      case 'cluster-offline':
        return kubeStatus(
          503,
          'ServiceUnavailable',
          `Switchboard: cluster "${cluster}" is offline: its agent is not connected to the relay${detail}`,
        );
      case 'unauthenticated':
        return kubeStatus(
          401,
          'Unauthorized',
          `Switchboard: the relay did not accept your sign-in${detail}; ${login}`,
        );
      case 'forbidden':
        return kubeStatus(
          403,
          'Forbidden',
          `Switchboard: you have no access to cluster "${cluster}"${detail}; ask a relay administrator for a grant`,
        );
      case 'unknown-cluster':
        return kubeStatus(404, 'NotFound', `Switchboard: the relay knows no cluster "${cluster}"${detail}`);
      case 'rate-limited':
        return kubeStatus(429, 'TooManyRequests', `Switchboard: too many connections to the relay${detail}`);
      case 'bad-request':
        return kubeStatus(400, 'BadRequest', `Switchboard: the relay rejected the request${detail}`);
    }
  }
  if (error instanceof StreamResetError) {
    return kubeStatus(
      502,
      'ServiceUnavailable',
      `Switchboard: the tunnel to cluster "${cluster}" failed: ${error.message}`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return kubeStatus(502, 'InternalError', `Switchboard: could not reach cluster "${cluster}": ${message}`);
}
