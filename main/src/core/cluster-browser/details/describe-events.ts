/** The Events part of `kubectl describe`: the object's events, newest first. */
import type { DescribedEvent } from '@switchboard/contract/app';
import { type Fields, fields, num, text } from './kube-fields.js';

/** The most events shown; an object in a crash loop can have hundreds. */
export const MAX_EVENTS = 50;

export function describedEvents(events: Fields[]): DescribedEvent[] {
  return events
    .map((event) => {
      const source = fields(event.source);
      const metadata = fields(event.metadata);
      return {
        type: text(event.type, 'Normal'),
        reason: text(event.reason),
        message: text(event.message),
        count: num(event.count) ?? num(fields(event.series).count) ?? 1,
        // Events v1 set eventTime; core/v1 writers set lastTimestamp; either may be missing.
        lastSeen: text(
          event.lastTimestamp,
          text(event.eventTime, text(event.firstTimestamp, text(metadata.creationTimestamp))),
        ),
        source: [text(source.component, text(event.reportingComponent)), text(source.host)]
          .filter(Boolean)
          .join(', '),
      };
    })
    .sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0))
    .slice(0, MAX_EVENTS);
}
