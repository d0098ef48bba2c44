/**
 * Records core/v1 Events the way kubelet and controllers do: one Event per (object, reason,
 * message), whose `count` and `lastTimestamp` grow when it repeats.
 */
import type { KubeObject } from '../api/objects.js';
import { findResource } from '../api/resources.js';
import { type Store, timestamp } from '../store/store.js';

export interface EventSource {
  component: string;
  host?: string;
}

const EVENTS = findResource('', 'v1', 'events')!;

/** Shared by every recorder in the process (scheduler and kubelet record for the same pod). */
let eventSequence = 0;

export class EventRecorder {
  /** (object uid, reason, message) → event name, so repeats are found without scanning. */
  private readonly seen = new Map<string, string>();

  constructor(private readonly store: Store) {}

  record(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath?: string,
  ): void {
    const namespace = involved.metadata.namespace ?? 'default';
    const now = timestamp(this.store.now());
    const seenKey = `${involved.metadata.uid}\0${reason}\0${message}`;
    const seenName = this.seen.get(seenKey);
    const existing = seenName === undefined ? undefined : this.store.get(EVENTS, namespace, seenName);
    if (existing) {
      this.store.update(EVENTS, {
        ...existing,
        count: ((existing.count as number) ?? 1) + 1,
        lastTimestamp: now,
      });
      return;
    }
    // Same naming scheme as client-go's recorder: <object>.<hex nanos>. The sub-millisecond part
    // counts up, so events for one object recorded in the same millisecond never collide.
    eventSequence = (eventSequence + 1) % 1_000_000;
    const suffix = (BigInt(Date.now()) * 1_000_000n + BigInt(eventSequence)).toString(16);
    const name = `${involved.metadata.name}.${suffix}`;
    this.seen.set(seenKey, name);
    this.store.create(EVENTS, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace: involved.metadata.namespace,
        uid: involved.metadata.uid,
        resourceVersion: involved.metadata.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    });
  }
}
