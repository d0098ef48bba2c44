/**
 * Kubernetes `Status` objects: the error body every Kubernetes client knows how to print
 * (`Error from server (ServiceUnavailable): …`). The agent and the local proxy answer kubectl with
 * one when they refuse a request or cannot forward it.
 */

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  /** A Kubernetes `StatusReason`, e.g. `Forbidden`, `ServiceUnavailable`. */
  reason: string;
  code: number;
}

export function kubeStatus(code: number, reason: string, message: string): KubeStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}
