import type { ResourceRow, ResourceTypeId } from '@switchboard/contract/app';
import { type KeyboardEvent, lazy, Suspense, useId, useRef, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useCore } from '../../state/core-context';
import { useAction } from '../../state/use-action';
import { PodLogs } from './PodLogs';
import { ResourceYaml } from './ResourceYaml';

// xterm.js is most of the bundle; it loads the first time someone opens a shell.
const PodShell = lazy(async () => ({ default: (await import('./PodShell')).PodShell }));

type View = 'yaml' | 'logs' | 'shell';
const VIEW_LABELS: Record<View, string> = { yaml: 'YAML', logs: 'Logs', shell: 'Shell' };

export interface ResourceDetailsProps {
  cluster: string;
  kind: ResourceTypeId;
  /** The word for one object of the kind (`pod`, `certificate`). */
  objectWord: string;
  row: ResourceRow;
  onClose(): void;
}

/** One object: its YAML, and for pods its log and a shell; delete after a confirmation naming it. */
export function ResourceDetails({ cluster, kind, objectWord: one, row, onClose }: ResourceDetailsProps) {
  const api = useCore();
  const remove = useAction();
  const [view, setView] = useState<View>('yaml');
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const tabs = useRef<HTMLDivElement>(null);
  const headingId = useId();
  const panelId = useId();
  const views: View[] = kind === 'pods' ? ['yaml', 'logs', 'shell'] : ['yaml'];
  const objectLabel = `${one} ${row.namespace === undefined ? '' : `${row.namespace}/`}${row.name}`;
  const where =
    row.namespace === undefined ? `cluster ${cluster}` : `namespace ${row.namespace} of cluster ${cluster}`;

  const onTabKeyDown = (event: KeyboardEvent) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const next = views[(views.indexOf(view) + step + views.length) % views.length]!;
    setView(next);
    tabs.current?.querySelector<HTMLElement>(`[data-view="${next}"]`)?.focus();
  };

  const deleteObject = async () => {
    const done = await remove.run(() =>
      api.request('deleteResource', {
        cluster,
        kind,
        name: row.name,
        ...(row.namespace !== undefined && { namespace: row.namespace }),
      }),
    );
    if (done === null) {
      setConfirmingDelete(false);
      onClose();
    }
  };

  return (
    <section className="resource-details" aria-labelledby={headingId} data-testid="resource-details">
      <div className="details-header">
        <h3 id={headingId}>{objectLabel}</h3>
        <div ref={tabs} role="tablist" aria-label={`Views of ${row.name}`} onKeyDown={onTabKeyDown}>
          {views.map((each) => (
            <button
              key={each}
              type="button"
              role="tab"
              id={`${panelId}-tab-${each}`}
              data-view={each}
              aria-selected={each === view}
              aria-controls={panelId}
              tabIndex={each === view ? 0 : -1}
              onClick={() => setView(each)}
            >
              {VIEW_LABELS[each]}
            </button>
          ))}
        </div>
        <div className="details-actions">
          <button
            type="button"
            className="button-danger"
            onClick={() => {
              remove.clearError();
              setConfirmingDelete(true);
            }}
          >
            Delete…
          </button>
          <button type="button" onClick={onClose} aria-label={`Close ${row.name}`}>
            Close
          </button>
        </div>
      </div>
      <div className="details-body" role="tabpanel" id={panelId} aria-labelledby={`${panelId}-tab-${view}`}>
        {view === 'yaml' && (
          <ResourceYaml cluster={cluster} kind={kind} row={row} objectLabel={objectLabel} />
        )}
        {view === 'logs' && row.namespace !== undefined && (
          <PodLogs cluster={cluster} namespace={row.namespace} pod={row.name} />
        )}
        {view === 'shell' && row.namespace !== undefined && (
          <Suspense
            fallback={
              <p role="status" className="muted">
                Loading the terminal…
              </p>
            }
          >
            <PodShell cluster={cluster} namespace={row.namespace} pod={row.name} />
          </Suspense>
        )}
      </div>
      {confirmingDelete && (
        <ConfirmDialog
          title={`Delete ${one} ${row.name}?`}
          confirmLabel={`Delete ${one}`}
          danger
          pending={remove.pending}
          error={remove.error?.message}
          onConfirm={() => void deleteObject()}
          onCancel={() => setConfirmingDelete(false)}
        >
          <p>
            This deletes {one} <strong>{row.name}</strong> in {where}. It cannot be undone
            {kind === 'pods' &&
              '; a controller that owns the pod (a Deployment, for example) starts a new one'}
            .
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
