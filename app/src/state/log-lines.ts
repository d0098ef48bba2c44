/**
 * A bounded log buffer: lines (with the time the runtime stamped and, for a workload, the pod), at
 * most `MAX_LINES` and `MAX_BYTES` of text; the oldest go first and are counted, so the view can
 * say how many were dropped. Lines are never changed once added: the view renders fixed chunks.
 */
export interface LogLine {
  /** RFC 3339, or '' when the line had none. */
  time: string;
  text: string;
  /** The pod, for a workload's log. */
  pod?: string;
}

export const MAX_LINES = 20_000;
export const MAX_BYTES = 8 * 1024 * 1024;

export class LogLines {
  lines: LogLine[] = [];
  /** Lines dropped from the top so far: the absolute number of `lines[0]`. */
  dropped = 0;
  #chars = 0;
  /** The unfinished last line of a text stream. */
  #partial = '';

  /** Text as `kubectl logs --timestamps` prints it (the core asks for timestamps). */
  appendText(chunk: string): void {
    const parts = (this.#partial + chunk).split('\n');
    this.#partial = parts.pop()!;
    this.appendLines(parts.map(parseLine));
  }

  /** The stream ended: an unfinished last line is a line too. */
  endText(): void {
    if (this.#partial) this.appendLines([parseLine(this.#partial)]);
    this.#partial = '';
  }

  appendLines(lines: LogLine[]): void {
    for (const line of lines) {
      this.lines.push(line);
      this.#chars += line.text.length + line.time.length;
    }
    // Trimming in batches keeps appends cheap: one splice per tenth of the buffer.
    if (this.lines.length > MAX_LINES * 1.1 || this.#chars > MAX_BYTES * 1.1) this.#trim();
  }

  #trim(): void {
    let drop = Math.max(0, this.lines.length - MAX_LINES);
    let chars = this.#chars;
    for (let index = 0; index < this.lines.length; index++) {
      if (index >= drop && chars <= MAX_BYTES) break;
      const line = this.lines[index]!;
      chars -= line.text.length + line.time.length;
      drop = Math.max(drop, index + 1);
    }
    this.lines = this.lines.slice(drop);
    this.dropped += drop;
    this.#chars = chars;
  }
}

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

function parseLine(raw: string): LogLine {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const space = line.indexOf(' ');
  const head = space === -1 ? line : line.slice(0, space);
  if (!TIMESTAMP.test(head)) return { time: '', text: line };
  return { time: head, text: space === -1 ? '' : line.slice(space + 1) };
}

/** The buffer as a file: what the view shows, one line each. */
export function logFileText(lines: readonly LogLine[], options: { timestamps: boolean }): string {
  return lines
    .map(
      (line) =>
        `${options.timestamps && line.time ? `${line.time} ` : ''}${line.pod ? `${line.pod} ` : ''}${line.text}\n`,
    )
    .join('');
}
