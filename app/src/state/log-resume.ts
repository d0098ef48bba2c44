/**
 * Picking a followed log up where an outage cut it off. The stream is asked for with timestamps
 * (`kubectl logs --timestamps`); this remembers the last complete line's time and how many lines
 * carried exactly that time. A resumed stream starts at that second (`sinceTime`: the apiserver
 * counts whole seconds), so it repeats a little; the repeats are dropped by time, and among lines
 * of the very same time by count, so nothing shows twice and nothing is lost.
 */

/** `2026-12-05T06:13:56.000123Z` → a key that sorts as the time does (nanoseconds, UTC). */
export function logTimeKey(timestamp: string): string | undefined {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(timestamp);
  if (match === null) return undefined;
  const [, seconds, fraction = '', zone] = match;
  const utcSeconds =
    zone === 'Z' ? seconds : new Date(Date.parse(`${seconds}${zone}`)).toISOString().slice(0, 19);
  return `${utcSeconds}.${fraction.padEnd(9, '0')}`;
}

export class LogResume {
  /** The part of the stream after its last newline, held until the line completes. */
  #partial = '';
  #lastKey: string | undefined;
  #atLastKey = 0;
  /** On a resumed stream: how many lines of `#lastKey` to skip (they were shown already). */
  #skipAtLastKey = 0;
  #resumed = false;

  /** Takes a piece of the timestamped stream; returns the complete lines not shown before, times kept. */
  take(chunk: string): string {
    const text = this.#partial + chunk;
    const end = text.lastIndexOf('\n');
    if (end === -1) {
      this.#partial = text;
      return '';
    }
    this.#partial = text.slice(end + 1);
    let shown = '';
    for (const line of text.slice(0, end).split('\n')) shown += this.#line(line);
    return shown;
  }

  /** What is left when the stream ends for good: a last line without its newline. */
  flush(): string {
    const rest = this.#partial;
    this.#partial = '';
    return rest === '' ? '' : this.#line(rest).replace(/\n$/, '');
  }

  /** The `sinceTime` of a resumed stream (the last line's second), undefined when no line came. */
  resumeFrom(): string | undefined {
    if (this.#lastKey === undefined) return undefined;
    // Whatever came after the last newline is asked for again with its line.
    this.#partial = '';
    this.#resumed = true;
    this.#skipAtLastKey = this.#atLastKey;
    return `${this.#lastKey.slice(0, 19)}Z`;
  }

  #line(line: string): string {
    const space = line.indexOf(' ');
    const key = space === -1 ? undefined : logTimeKey(line.slice(0, space));
    // A line without a time (the apiserver's own note, say) is shown as it came.
    if (key === undefined) return `${line}\n`;
    if (this.#resumed && this.#lastKey !== undefined) {
      if (key < this.#lastKey) return '';
      if (key === this.#lastKey && this.#skipAtLastKey > 0) {
        this.#skipAtLastKey--;
        return '';
      }
      if (key > this.#lastKey) this.#resumed = false;
    }
    if (key === this.#lastKey) this.#atLastKey++;
    else {
      this.#lastKey = key;
      this.#atLastKey = 1;
    }
    return `${line}\n`;
  }
}
