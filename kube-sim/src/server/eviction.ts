/**
 * The eviction subresource's admission (pkg/registry/core/pod/storage/eviction.go): a pod that a
 * PodDisruptionBudget protects is evicted only while the budget allows a disruption, which the
 * eviction then uses up (until the disruption controller counts again); otherwise 429 with the
 * apiserver's message and a `DisruptionBudget` cause, which `kubectl drain` retries on.
 */
import { ApiError, internalError } from '../api/errors.js';
import type { KubeObject } from '../api/objects.js';
import { findResource } from '../api/resources.js';
import { labelSelectorFromSpec, matches } from '../api/selectors.js';
import { podIsHealthy } from '../controllers/disruption.js';
import { type Store, timestamp } from '../store/store.js';

const PDBS = findResource('policy', 'v1', 'poddisruptionbudgets')!;
const BLOCKED = "Cannot evict pod as it would violate the pod's disruption budget.";

interface BudgetStatus {
  observedGeneration?: number;
  disruptionsAllowed?: number;
  currentHealthy?: number;
  desiredHealthy?: number;
  disruptedPods?: Record<string, string>;
}

/** Throws what the apiserver answers when the pod may not be evicted now; records the disruption when it may. */
export function admitEviction(store: Store, pod: KubeObject, dryRun: boolean): void {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  // Pods that are not running, or already going, need no budget (canIgnorePDB).
  if (pod.metadata.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending')
    return;
  const budgets = store.list(PDBS, pod.metadata.namespace).filter((pdb) => {
    const spec = pdb.spec as { selector?: Parameters<typeof labelSelectorFromSpec>[0] } | undefined;
    return matches(
      labelSelectorFromSpec(spec?.selector),
      pod.metadata.labels as Record<string, string> | undefined,
    );
  });
  if (budgets.length === 0) return;
  if (budgets.length > 1) {
    throw internalError(
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
  }
  const pdb = budgets[0]!;
  const name = pdb.metadata.name!;
  const status = (pdb.status ?? {}) as BudgetStatus;
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1)) {
    throw tooManyRequests(`The disruption budget ${name} is still being processed by the server.`);
  }
  const allowed = status.disruptionsAllowed ?? 0;
  if (allowed < 0) throw new ApiError(403, 'Forbidden', 'pdb disruptions allowed is negative');
  const desired = status.desiredHealthy ?? 0;
  const healthy = status.currentHealthy ?? 0;
  // IfHealthyBudget, the default: an unready pod may go while the budget is met.
  if (!podIsHealthy(pod) && healthy >= desired && desired > 0) return;
  if (allowed === 0) {
    throw tooManyRequests(
      `The disruption budget ${name} needs ${desired} healthy pods and has ${healthy} currently`,
    );
  }
  if (dryRun) return;
  store.update(PDBS, {
    ...pdb,
    status: {
      ...status,
      disruptionsAllowed: allowed - 1,
      disruptedPods: { ...(status.disruptedPods ?? {}), [pod.metadata.name!]: timestamp(store.now()) },
    },
  });
}

function tooManyRequests(cause: string): ApiError {
  return new ApiError(429, 'TooManyRequests', BLOCKED, {
    causes: [{ reason: 'DisruptionBudget', message: cause }],
  });
}
