import type {
  AppError,
  ResourceAccess,
  ResourceAction,
  ResourceColumn,
  ResourceRow,
  ResourceTypeId,
} from '@switchboard/contract/app';
import { useId, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useCore } from '../../state/core-context';
import { useAction } from '../../state/use-action';
import { DrainDialog } from './DrainDialog';
import { cellText, columnIndex } from './table-columns';

export interface ResourceActionsProps {
  cluster: string;
  kind: ResourceTypeId;
  row: ResourceRow;
  /** The list's Table columns: the row's Ready and Status cells are read by name. */
  columns: readonly ResourceColumn[];
  /** Kind word for one object (`deployment`). */
  one: string;
  /** Undefined while the cluster is being asked: nothing is offered until it answered. */
  access: ResourceAccess | undefined;
  /** Why the cluster could not be asked; nothing is offered then either. */
  accessError: AppError | undefined;
  onDeleted(): void;
}

type Dialog = 'scale' | 'restart' | 'drain' | 'delete';

/** What each action is called where the UI says it may not be done. */
const ACTION_WORDS: Record<ResourceAction, string> = {
  edit: 'edit',
  delete: 'delete',
  scale: 'scale',
  restart: 'restart',
  cordon: 'cordon',
  drain: 'drain',
};

/**
 * The actions on the opened object that RBAC allows (asked with SelfSubjectAccessReview): scale,
 * restart a rollout, cordon or uncordon and drain a node, delete; each destructive one confirms
 * first. What is not allowed is not offered, and a line says so.
 */
export function ResourceActions({
  cluster,
  kind,
  row,
  columns,
  one,
  access,
  accessError,
  onDeleted,
}: ResourceActionsProps) {
  const api = useCore();
  const action = useAction();
  const [dialog, setDialog] = useState<Dialog>();
  const [replicas, setReplicas] = useState(() => desiredReplicas(row, columns));
  const replicasId = useId();
  const target = {
    cluster,
    kind,
    name: row.name,
    ...(row.namespace !== undefined && { namespace: row.namespace }),
  };
  const where =
    row.namespace === undefined ? `cluster ${cluster}` : `namespace ${row.namespace} of cluster ${cluster}`;
  const cordoned = cellText(row.cells[columnIndex(columns, 'Status')]).includes('SchedulingDisabled');

  if (access === undefined) {
    return accessError === undefined ? null : (
      <p className="muted access-note" data-testid="access-note">
        No actions: your permissions could not be checked ({accessError.message}).
      </p>
    );
  }
  const denied = (Object.keys(access) as ResourceAction[]).filter((each) => access[each] === false);

  const open = (next: Dialog) => {
    action.clearError();
    if (next === 'scale') setReplicas(desiredReplicas(row, columns));
    setDialog(next);
  };
  const runAndClose = async (task: () => Promise<unknown>, after?: () => void) => {
    const done = await action.run(async () => {
      await task();
      return true;
    });
    if (done) {
      setDialog(undefined);
      after?.();
    }
  };

  return (
    <>
      {access.scale && (
        <button type="button" onClick={() => open('scale')}>
          Scale…
        </button>
      )}
      {access.restart && (
        <button type="button" onClick={() => open('restart')}>
          Restart…
        </button>
      )}
      {access.cordon && (
        <button
          type="button"
          disabled={action.pending && dialog === undefined}
          onClick={() =>
            void runAndClose(() =>
              api.request('setNodeSchedulable', { cluster, name: row.name, schedulable: cordoned }),
            )
          }
        >
          {cordoned ? 'Uncordon' : 'Cordon'}
        </button>
      )}
      {access.drain && (
        <button type="button" onClick={() => open('drain')}>
          Drain…
        </button>
      )}
      {access.delete && (
        <button type="button" className="button-danger" onClick={() => open('delete')}>
          Delete…
        </button>
      )}
      {denied.length > 0 && (
        <p className="muted access-note" data-testid="access-note">
          You don’t have permission to {listWords(denied.map((each) => ACTION_WORDS[each]))} this {one}.
        </p>
      )}
      {dialog === undefined && action.error !== undefined && (
        <p className="form-error" role="alert">
          <ErrorMessage error={action.error} />
        </p>
      )}
      {dialog === 'scale' && (
        <ConfirmDialog
          title={`Scale ${one} ${row.name}`}
          confirmLabel="Scale"
          pending={action.pending}
          error={action.error?.message}
          onConfirm={() => void runAndClose(() => api.request('scaleResource', { ...target, replicas }))}
          onCancel={() => setDialog(undefined)}
        >
          <p>
            Sets the number of pods {one} <strong>{row.name}</strong> in {where} runs.
          </p>
          <div className="field field-inline">
            <label htmlFor={replicasId}>Replicas</label>
            <input
              id={replicasId}
              type="number"
              min={0}
              max={10_000}
              step={1}
              className="input-port"
              value={replicas}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && !action.pending) {
                  event.preventDefault();
                  void runAndClose(() => api.request('scaleResource', { ...target, replicas }));
                }
              }}
              onChange={(event) =>
                setReplicas(Math.max(0, Math.min(10_000, Math.trunc(Number(event.currentTarget.value) || 0))))
              }
            />
          </div>
        </ConfirmDialog>
      )}
      {dialog === 'restart' && (
        <ConfirmDialog
          title={`Restart ${one} ${row.name}?`}
          confirmLabel="Restart"
          pending={action.pending}
          error={action.error?.message}
          onConfirm={() => void runAndClose(() => api.request('restartRollout', target))}
          onCancel={() => setDialog(undefined)}
        >
          <p>
            Replaces every pod of {one} <strong>{row.name}</strong> in {where} with a new one, following its
            rollout strategy (as <code>kubectl rollout restart</code>).
          </p>
        </ConfirmDialog>
      )}
      {dialog === 'drain' && (
        <DrainDialog cluster={cluster} node={row.name} onClose={() => setDialog(undefined)} />
      )}
      {dialog === 'delete' && (
        <ConfirmDialog
          title={`Delete ${one} ${row.name}?`}
          confirmLabel={`Delete ${one}`}
          danger
          pending={action.pending}
          error={action.error?.message}
          onConfirm={() => void runAndClose(() => api.request('deleteResource', target), onDeleted)}
          onCancel={() => setDialog(undefined)}
        >
          <p>
            This deletes {one} <strong>{row.name}</strong> in {where}. It cannot be undone
            {kind === 'pods' &&
              '; a controller that owns the pod (a Deployment, for example) starts a new one'}
            .
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** The desired count from the row's Ready cell (`2/3`), as the scale dialog's starting value. */
function desiredReplicas(row: ResourceRow, columns: readonly ResourceColumn[]): number {
  const desired = Number(cellText(row.cells[columnIndex(columns, 'Ready')]).split('/')[1]);
  return Number.isInteger(desired) && desired >= 0 ? desired : 1;
}

function listWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}
