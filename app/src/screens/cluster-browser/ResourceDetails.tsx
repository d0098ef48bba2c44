import type { BrowsableKind, ResourceRow } from '@switchboard/contract/app';
import { type KeyboardEvent, lazy, Suspense, useId, useRef, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useCore } from '../../state/core-context';
import { useAction } from '../../state/use-action';
import { KINDS } from './kinds';
import { PodLogs } from './PodLogs';
import { PortForwardForm } from './PortForwardForm';
import { ResourceYaml } from './ResourceYaml';
import { WorkloadLogs } from './WorkloadLogs';
import { LOGS_BY_SELECTOR_KINDS, PORT_FORWARD_KINDS } from './workload-kinds';

// xterm.js is most of the bundle; it loads the first time someone opens a shell.
const PodShell = lazy(async () => ({ default: (await import('./PodShell')).PodShell }));

type View = 'yaml' | 'logs' | 'shell' | 'ports';
const VIEW_LABELS: Record<View, string> = {
  yaml: 'YAML',
  logs: 'Logs',
  shell: 'Shell',
  ports: 'Port forward',
};

export interface ResourceDetailsProps {
  cluster: string;
  kind: BrowsableKind;
  row: ResourceRow;
  onClose(): void;
}

/**
 * One object: its YAML; for pods their log and shells, for workloads the log of all their pods, for
 * pods and services a port-forward; delete after a confirmation naming it.
 */
export function ResourceDetails({ cluster, kind, row, onClose }: ResourceDetailsProps) {
  const api = useCore();
  const remove = useAction();
  const [view, setView] = useState<View>('yaml');
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const tabs = useRef<HTMLDivElement>(null);
  const headingId = useId();
  const panelId = useId();
  const forwardKind = PORT_FORWARD_KINDS.get(kind);
  const views: View[] = [
    'yaml',
    ...(kind === 'pods' || LOGS_BY_SELECTOR_KINDS.has(kind) ? (['logs'] as const) : []),
    ...(kind === 'pods' ? (['shell'] as const) : []),
    ...(forwardKind !== undefined ? (['ports'] as const) : []),
  ];
  const { one } = KINDS[kind];
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
        {view === 'logs' && row.namespace !== undefined && kind === 'pods' && (
          <PodLogs cluster={cluster} namespace={row.namespace} pod={row.name} />
        )}
        {view === 'logs' && row.namespace !== undefined && kind !== 'pods' && (
          <WorkloadLogs cluster={cluster} namespace={row.namespace} kind={kind} name={row.name} one={one} />
        )}
        {view === 'ports' && row.namespace !== undefined && forwardKind !== undefined && (
          <PortForwardForm cluster={cluster} namespace={row.namespace} kind={forwardKind} name={row.name} />
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
