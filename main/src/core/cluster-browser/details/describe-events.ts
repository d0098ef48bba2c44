/** The Events part of `kubectl describe`: the object's events, newest first. */
import type { DescribedEvent } from '@switchboard/contract/app';
import { type Fields, fields, num, text } from './kube-fields.js';

/** The most events shown; an object in a crash loop can have hundreds. */
export const MAX_EVENTS = 50;

export function describedEvents(events: Fields[]): DescribedEvent[] {
  return (
    events
      .map((event, index) => {
        const source = fields(event.source);
        const metadata = fields(event.metadata);
        const described: DescribedEvent = {
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
        return { described, index };
      })
      // Times have whole seconds: within one, the later in the list (created later) comes first.
      .sort((a, b) =>
        a.described.lastSeen !== b.described.lastSeen
          ? a.described.lastSeen < b.described.lastSeen
            ? 1
            : -1
          : b.index - a.index,
      )
      .slice(0, MAX_EVENTS)
      .map(({ described }) => described)
  );
}
