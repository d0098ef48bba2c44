/**
 * Interleaves the logs of several pods by the time on each line (`timestamps=true` puts an
 * RFC 3339 time with nanoseconds first), as `stern` and Lens's multi-pod log do. Lines arrive per
 * pod in order but pods' streams arrive at different moments, so each line waits `settleMs` after
 * it arrived before it is released: lines from other pods that belong before it have that long to
 * come in. Released lines are sorted by time (ties keep arrival order).
 */
import type { WorkloadLogLine } from '@switchboard/contract/app';

interface Pending {
  line: WorkloadLogLine;
  arrivedAt: number;
  order: number;
}

/** `2024-05-01T12:00:00.123456789Z text` → time and text; a line without one keeps `time` empty. */
export function splitTimestamp(line: string): { time: string; text: string } {
  const space = line.indexOf(' ');
  const head = space === -1 ? line : line.slice(0, space);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(head))
    return { time: '', text: line };
  return { time: head, text: space === -1 ? '' : line.slice(space + 1) };
}

/**
 * RFC 3339 times as comparable strings: UTC, the fraction padded to nanoseconds, so two lines
 * stamped within the same millisecond still sort as the runtime wrote them.
 */
export function sortKey(time: string): string {
  const match = /^(.{19})(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!match) return '';
  const [, seconds, fraction = '', zone] = match;
  const nanos = (fraction.slice(1) || '0').padEnd(9, '0').slice(0, 9);
  if (zone === 'Z') return `${seconds}.${nanos}`;
  const utc = new Date(`${seconds}${zone}`).toISOString().slice(0, 19);
  return `${utc}.${nanos}`;
}

export class LogInterleaver {
  readonly #settleMs: number;
  #pending: Pending[] = [];
  /** Unfinished last line per pod/container stream, completed by the next chunk. */
  readonly #partial = new Map<string, string>();
  #order = 0;

  constructor(settleMs: number) {
    this.#settleMs = settleMs;
  }

  /** A chunk of one container's log, as it arrived. */
  add(pod: string, container: string, chunk: string, now: number): void {
    const stream = `${pod}\u0000${container}`;
    const text = (this.#partial.get(stream) ?? '') + chunk;
    const lines = text.split('\n');
    this.#partial.set(stream, lines.pop()!);
    for (const raw of lines) {
      const { time, text: rest } = splitTimestamp(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
      this.#pending.push({
        line: { pod, container, time, text: rest },
        arrivedAt: now,
        order: this.#order++,
      });
    }
  }

  /** The stream ended: its unfinished last line is a line of its own. */
  endStream(pod: string, container: string, now: number): void {
    const stream = `${pod}\u0000${container}`;
    const rest = this.#partial.get(stream);
    this.#partial.delete(stream);
    if (rest) this.add(pod, container, `${rest}\n`, now);
  }

  /** Lines that have settled, oldest first; `all` releases everything (the end). */
  take(now: number, all = false): WorkloadLogLine[] {
    const settled: Pending[] = [];
    const waiting: Pending[] = [];
    for (const each of this.#pending) {
      (all || now - each.arrivedAt >= this.#settleMs ? settled : waiting).push(each);
    }
    this.#pending = waiting;
    return settled
      .map((each) => ({ each, key: sortKey(each.line.time) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.each.order - b.each.order))
      .map(({ each }) => each.line);
  }

  get pendingCount(): number {
    return this.#pending.length;
  }
}
