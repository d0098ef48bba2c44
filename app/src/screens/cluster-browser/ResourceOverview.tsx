import type { DescribeSection, ObjectLink, ResourceRow, ResourceTypeId } from '@switchboard/contract/app';
import { useId } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatAge } from '../../format/durations';
import { useDescription } from '../../state/use-description';
import { useNow } from '../../state/use-now';
import { ObjectLinkButton } from './ObjectLinkButton';

export interface ResourceOverviewProps {
  cluster: string;
  kind: ResourceTypeId;
  row: ResourceRow;
  objectLabel: string;
  onOpenObject(link: ObjectLink): void;
}

/**
 * The describe view: metadata, the owner chain as links, what matters for the kind, and the
 * object's events, newest first with warnings marked. It follows the object's row in the live list
 * and fetches again every few seconds for new events.
 */
export function ResourceOverview({ cluster, kind, row, objectLabel, onOpenObject }: ResourceOverviewProps) {
  const { description, error } = useDescription(
    { cluster, kind, name: row.name, ...(row.namespace !== undefined && { namespace: row.namespace }) },
    row,
  );
  const now = useNow(10_000);
  const eventsHeadingId = useId();

  if (description === undefined) {
    return error === undefined ? (
      <p role="status" className="muted">
        Loading the overview…
      </p>
    ) : (
      <p className="form-error" role="alert">
        <ErrorMessage error={error} />
      </p>
    );
  }
  const labels = Object.entries(description.labels);
  const annotations = Object.entries(description.annotations);
  return (
    <section
      className="resource-overview code-scroll"
      aria-label={`Overview of ${objectLabel}`}
      data-testid="resource-overview"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
      tabIndex={0}
    >
      {error !== undefined && (
        <p className="form-error" role="alert">
          <ErrorMessage error={error} /> (showing what was last fetched)
        </p>
      )}
      <dl className="describe-fields">
        {description.namespace !== undefined && (
          <>
            <dt>Namespace</dt>
            <dd>{description.namespace}</dd>
          </>
        )}
        <dt>Created</dt>
        <dd>
          {formatAge(description.createdAt, now)} ago <span className="muted">({description.createdAt})</span>
        </dd>
        {description.owners.length > 0 && (
          <>
            <dt>Controlled by</dt>
            <dd data-testid="owner-links">
              {description.owners.map((owner, index) => (
                <span key={`${owner.kind}/${owner.name}`}>
                  {index > 0 && <span className="muted"> ← </span>}
                  <ObjectLinkButton link={owner} onOpen={onOpenObject} />
                </span>
              ))}
            </dd>
          </>
        )}
        <dt>Labels</dt>
        <dd>
          {labels.length === 0
            ? '<none>'
            : labels.map(([key, value]) => (
                <span key={key} className="tag label-tag">
                  {key}={value}
                </span>
              ))}
        </dd>
        <dt>Annotations</dt>
        <dd>
          {annotations.length === 0 ? (
            '<none>'
          ) : (
            <details>
              <summary>
                {annotations.length === 1 ? '1 annotation' : `${annotations.length} annotations`}
              </summary>
              <ul className="plain-list">
                {annotations.map(([key, value]) => (
                  <li key={key}>
                    <code>{key}</code>: {value}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </dd>
      </dl>
      {description.sections.map((section) => (
        <DescribeSectionView key={section.title} section={section} onOpenObject={onOpenObject} />
      ))}
      <h4 id={eventsHeadingId}>Events</h4>
      {description.eventsError !== undefined && <p className="muted">{description.eventsError}</p>}
      {description.events.length === 0 && description.eventsError === undefined ? (
        <p className="muted">No events.</p>
      ) : (
        description.events.length > 0 && (
          <table className="describe-table" aria-labelledby={eventsHeadingId} data-testid="describe-events">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Reason</th>
                <th scope="col">Age</th>
                <th scope="col">From</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {description.events.map((event, index) => (
                <tr
                  // Events carry no id of their own here; the list is replaced whole on each fetch.
                  // biome-ignore lint/suspicious/noArrayIndexKey: see above.
                  key={index}
                  data-event-type={event.type}
                  className={event.type === 'Warning' ? 'event-warning' : undefined}
                >
                  <td>{event.type === 'Warning' ? <strong>⚠ Warning</strong> : event.type}</td>
                  <td>{event.reason}</td>
                  <td>
                    {event.lastSeen === '' ? '' : formatAge(event.lastSeen, now)}
                    {event.count > 1 && <span className="muted"> (×{event.count})</span>}
                  </td>
                  <td>{event.source}</td>
                  <td>{event.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      )}
    </section>
  );
}

function DescribeSectionView({
  section,
  onOpenObject,
}: {
  section: DescribeSection;
  onOpenObject(link: ObjectLink): void;
}) {
  const headingId = useId();
  return (
    <>
      <h4 id={headingId}>{section.title}</h4>
      {section.fields !== undefined && (
        <dl className="describe-fields">
          {section.fields.map((field) => (
            <div key={field.label} className="describe-field" data-tone={field.tone}>
              <dt>{field.label}</dt>
              <dd>{field.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {section.table !== undefined &&
        (section.table.rows.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <table className="describe-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                {section.table.columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {section.table.rows.map((cells, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are replaced whole on each fetch.
                <tr key={index}>
                  {cells.map((cell, column) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional.
                    <td key={column}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {section.links !== undefined &&
        (section.links.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul className="plain-list link-list" aria-labelledby={headingId}>
            {section.links.map((link) => (
              <li key={`${link.kind}/${link.namespace ?? ''}/${link.name}`}>
                <ObjectLinkButton link={link} onOpen={onOpenObject} />
              </li>
            ))}
          </ul>
        ))}
    </>
  );
}
