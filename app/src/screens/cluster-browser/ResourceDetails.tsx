import type { ObjectLink, ResourceColumn, ResourceRow, ResourceTypeId } from '@switchboard/contract/app';
import { type KeyboardEvent, lazy, Suspense, useId, useRef, useState } from 'react';
import { useAccessReview } from '../../state/use-access-review';
import { PodLogs } from './PodLogs';
import { PortForwardForm } from './PortForwardForm';
import { ResourceActions } from './ResourceActions';
import { ResourceOverview } from './ResourceOverview';
import { ResourceYaml } from './ResourceYaml';
import { WorkloadLogs } from './WorkloadLogs';
import { LOGS_BY_SELECTOR_KINDS, PORT_FORWARD_KINDS } from './workload-kinds';

// xterm.js is most of the bundle; it loads the first time someone opens a shell.
const PodShell = lazy(async () => ({ default: (await import('./PodShell')).PodShell }));

type View = 'overview' | 'yaml' | 'logs' | 'shell' | 'ports';
const VIEW_LABELS: Record<View, string> = {
  overview: 'Overview',
  yaml: 'YAML',
  logs: 'Logs',
  shell: 'Shell',
  ports: 'Port forward',
};

export interface ResourceDetailsProps {
  cluster: string;
  kind: ResourceTypeId;
  /** The word for one object of the kind (`pod`, `certificate`). */
  objectWord: string;
  row: ResourceRow;
  /** The list's Table columns (the actions read the row's Ready and Status cells by name). */
  columns: readonly ResourceColumn[];
  onClose(): void;
  /** Opens another object (an owner, a pod a workload runs) in the browser. */
  onOpenObject(link: ObjectLink): void;
}

/**
 * One object: its overview (describe) and YAML; for pods their log and shells, for workloads the
 * log of all their pods, for pods and services a port-forward; the actions RBAC allows on it
 * (SelfSubjectAccessReview), each destructive one after a confirmation naming it.
 */
export function ResourceDetails({
  cluster,
  kind,
  objectWord: one,
  row,
  columns,
  onClose,
  onOpenObject,
}: ResourceDetailsProps) {
  const [view, setView] = useState<View>('overview');
  const { access, error: accessError } = useAccessReview({
    cluster,
    kind,
    name: row.name,
    ...(row.namespace !== undefined && { namespace: row.namespace }),
  });
  const tabs = useRef<HTMLDivElement>(null);
  const headingId = useId();
  const panelId = useId();
  const forwardKind = PORT_FORWARD_KINDS.get(kind);
  const views: View[] = [
    'overview',
    'yaml',
    ...(kind === 'pods' || LOGS_BY_SELECTOR_KINDS.has(kind) ? (['logs'] as const) : []),
    ...(kind === 'pods' ? (['shell'] as const) : []),
    ...(forwardKind !== undefined ? (['ports'] as const) : []),
  ];
  const objectLabel = `${one} ${row.namespace === undefined ? '' : `${row.namespace}/`}${row.name}`;

  const onTabKeyDown = (event: KeyboardEvent) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const next = views[(views.indexOf(view) + step + views.length) % views.length]!;
    setView(next);
    tabs.current?.querySelector<HTMLElement>(`[data-view="${next}"]`)?.focus();
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
          <ResourceActions
            cluster={cluster}
            columns={columns}
            kind={kind}
            row={row}
            one={one}
            access={access}
            accessError={accessError}
            onDeleted={onClose}
          />
          <button type="button" onClick={onClose} aria-label={`Close ${row.name}`}>
            Close
          </button>
        </div>
      </div>
      <div className="details-body" role="tabpanel" id={panelId} aria-labelledby={`${panelId}-tab-${view}`}>
        {view === 'overview' && (
          <ResourceOverview
            cluster={cluster}
            kind={kind}
            row={row}
            objectLabel={objectLabel}
            onOpenObject={onOpenObject}
          />
        )}
        {view === 'yaml' && (
          <ResourceYaml
            cluster={cluster}
            kind={kind}
            row={row}
            objectLabel={objectLabel}
            canEdit={access?.edit === true}
          />
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
    </section>
  );
}
