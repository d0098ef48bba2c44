/**
 * Failures of the local proxy as Kubernetes `Status` objects, the error body every Kubernetes
 * client knows how to print (`Error from server (ServiceUnavailable): …`). Each code goes with the
 * reason the kube-apiserver gives it: a backend it cannot reach is 503 `ServiceUnavailable` (its
 * proxy's "error trying to reach service"), anything unforeseen 500 `InternalError`.
 */
import { type KubeStatus, kubeStatus } from '@switchboard/contract/problem-details';
import { StreamResetError } from '@switchboard/protocol';
import { SignInRequiredError } from '../session/sign-in-required-error.js';
import { RelayUnavailableError, refusalOf, TunnelRefusedError } from '../tunnel/tunnel-errors.js';

/** What kubectl should see when a request could not be forwarded. */
export function statusForFailure(error: unknown, context: { cluster: string; relayUrl: string }): KubeStatus {
  const { cluster, relayUrl } = context;
  const login = `run \`switchboard login --relay ${relayUrl}\``;
  if (error instanceof SignInRequiredError) {
    return kubeStatus(401, 'Unauthorized', `Switchboard: sign-in required (${error.reason}); ${login}`);
  }
  if (error instanceof RelayUnavailableError) {
    return kubeStatus(
      503,
      'ServiceUnavailable',
      `Switchboard: ${error.message}; the local proxy keeps retrying`,
    );
  }
  const refusal = error instanceof TunnelRefusedError ? error : refusedStream(error, cluster);
  if (refusal) {
    const message = `Switchboard: ${refusal.message}`;
    switch (refusal.refusal.reason) {
      case 'cluster-offline':
        return kubeStatus(503, 'ServiceUnavailable', message);
      case 'unauthenticated':
        return kubeStatus(401, 'Unauthorized', `${message}; ${login}`);
      case 'forbidden':
        return kubeStatus(403, 'Forbidden', `${message}; ask a relay administrator for a grant`);
      case 'unknown-cluster':
        return kubeStatus(404, 'NotFound', message);
      case 'rate-limited':
        return kubeStatus(429, 'TooManyRequests', message);
      case 'bad-request':
        return kubeStatus(400, 'BadRequest', message);
    }
  }
  if (error instanceof StreamResetError) {
    return kubeStatus(
      503,
      'ServiceUnavailable',
      `Switchboard: the tunnel to cluster "${cluster}" failed: ${error.message}`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return kubeStatus(500, 'InternalError', `Switchboard: could not reach cluster "${cluster}": ${message}`);
}

/** A stream reset with the contract's refusal that did not come through `RelayTunnel.openStream`. */
function refusedStream(error: unknown, cluster: string): TunnelRefusedError | undefined {
  const refusal = refusalOf(error);
  return refusal && new TunnelRefusedError(refusal, cluster);
}
