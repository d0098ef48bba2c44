import type { AppError, DrainPlan, DrainResult } from '@switchboard/contract/app';
import { useEffect, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { toAppError } from '../../host/core-request-error';
import { useCore } from '../../state/core-context';
import { useAction } from '../../state/use-action';

export interface DrainDialogProps {
  cluster: string;
  node: string;
  onClose(): void;
}

/**
 * Drain, confirmed against the list of what it will evict (and what it leaves); afterwards what
 * was evicted, what a PodDisruptionBudget blocked (with "Retry"), and what failed.
 */
export function DrainDialog({ cluster, node, onClose }: DrainDialogProps) {
  const api = useCore();
  const drain = useAction();
  const [plan, setPlan] = useState<DrainPlan | { error: AppError }>();
  const [result, setResult] = useState<DrainResult>();

  useEffect(() => {
    let current = true;
    api.request('planDrain', { cluster, name: node }).then(
      (answer) => current && setPlan(answer),
      (reason: unknown) => current && setPlan({ error: toAppError(reason) }),
    );
    return () => {
      current = false;
    };
  }, [api, cluster, node]);

  const run = async () => {
    const answer = await drain.run(() => api.request('drainNode', { cluster, name: node }));
    if (answer !== undefined) setResult(answer);
  };

  if (result !== undefined) {
    const done = result.blocked.length === 0 && result.failed.length === 0;
    return (
      <ConfirmDialog
        title={done ? `Node ${node} drained` : `Node ${node} partly drained`}
        confirmLabel={done ? 'Done' : 'Retry'}
        cancelLabel="Close"
        pending={drain.pending}
        error={drain.error?.message}
        onConfirm={() => (done ? onClose() : void run())}
        onCancel={onClose}
      >
        <p data-testid="drain-result">
          Cordoned. {result.evicted.length === 1 ? '1 pod' : `${result.evicted.length} pods`} evicted
          {result.blocked.length > 0 && `, ${result.blocked.length} blocked by a disruption budget`}
          {result.failed.length > 0 && `, ${result.failed.length} failed`}.
        </p>
        {[...result.blocked, ...result.failed].length > 0 && (
          <ul className="plain-list drain-list">
            {[...result.blocked, ...result.failed].map((pod) => (
              <li key={`${pod.namespace}/${pod.name}`}>
                <strong>
                  {pod.namespace}/{pod.name}
                </strong>
                : {pod.message}
              </li>
            ))}
          </ul>
        )}
      </ConfirmDialog>
    );
  }

  const ready = plan !== undefined && !('error' in plan);
  return (
    <ConfirmDialog
      title={`Drain node ${node}?`}
      confirmLabel="Drain node"
      danger
      pending={drain.pending}
      confirmDisabled={!ready}
      error={drain.error?.message ?? (plan !== undefined && 'error' in plan ? plan.error.message : undefined)}
      onConfirm={() => void run()}
      onCancel={onClose}
    >
      {plan === undefined && (
        <p role="status" className="muted">
          Finding the pods on {node}…
        </p>
      )}
      {ready && (
        <>
          <p>
            Marks {node} unschedulable, then evicts{' '}
            {plan.evict.length === 1 ? '1 pod' : `${plan.evict.length} pods`} through the eviction API (their
            PodDisruptionBudgets are honoured).
          </p>
          {plan.evict.length > 0 && (
            <ul className="plain-list drain-list" aria-label="Pods to evict">
              {plan.evict.map((pod) => (
                <li key={`${pod.namespace}/${pod.name}`}>
                  {pod.namespace}/{pod.name}
                  {pod.unmanaged && <strong> — no controller: it will not be recreated</strong>}
                  {pod.localData && <strong> — its emptyDir data is lost</strong>}
                </li>
              ))}
            </ul>
          )}
          {plan.skipped.length > 0 && (
            <details>
              <summary>{plan.skipped.length} left in place</summary>
              <ul className="plain-list drain-list">
                {plan.skipped.map((pod) => (
                  <li key={`${pod.namespace}/${pod.name}`}>
                    {pod.namespace}/{pod.name}: {pod.why}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </ConfirmDialog>
  );
}
