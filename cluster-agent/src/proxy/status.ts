/** Kubernetes `Status` bodies for answers the agent gives itself, so kubectl prints them clearly. */
import { type KubeStatus, kubeStatus } from '@switchboard/contract/problem-details';

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** A failure the agent answers itself, with the Kubernetes reason of its status code. */
export function failureStatus(code: number, message: string): KubeStatus {
  return kubeStatus(code, REASONS[code] ?? 'Unknown', message);
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
]);

/** 503 when the apiserver cannot be reached, 502 when it answers in a way the agent cannot use (TLS). */
export function upstreamFailure(error: NodeJS.ErrnoException, apiserver: string): KubeStatus {
  const code = error.code ?? '';
  if (UNREACHABLE.has(code)) {
    return failureStatus(
      503,
      `the Switchboard agent cannot reach the Kubernetes API server at ${apiserver}: ${error.message}`,
    );
  }
  return failureStatus(
    502,
    `the Switchboard agent could not talk to the Kubernetes API server at ${apiserver}: ${error.message}`,
  );
}
