/**
 * A container's log as the kubelet keeps it: timestamped lines, each tagged with the stream it came
 * from, bounded in size (the kubelet rotates at containerLogMaxSize, 10 MiB by default).
 */

export interface LogLine {
  /** Wall-clock milliseconds since the epoch. */
  ms: number;
  /** Nanoseconds within the millisecond, so timestamps have the nine digits the kubelet prints. */
  subMs: number;
  stream: 'stdout' | 'stderr';
  /** The line including its trailing newline (absent only for output cut off at exit). */
  text: string;
}

export const DEFAULT_LOG_LIMIT_BYTES = 10 * 1024 * 1024;

/** RFC 3339 with exactly nine fractional digits, the kubelet's `RFC3339NanoFixed`. */
export function formatLogTimestamp(line: Pick<LogLine, 'ms' | 'subMs'>): string {
  const iso = new Date(line.ms).toISOString();
  return `${iso.slice(0, 23)}${String(line.subMs).padStart(6, '0')}Z`;
}

let lastStamp = { ms: 0, subMs: 0 };

/** Strictly increasing stamps, so lines written in one millisecond keep their order when sorted. */
export function nowStamp(): { ms: number; subMs: number } {
  const ms = Date.now();
  const subMs =
    ms === lastStamp.ms ? Math.min(lastStamp.subMs + 1, 999_999) : Number(process.hrtime.bigint() % 1000n);
  lastStamp = { ms, subMs };
  return lastStamp;
}

export class LogBuffer {
  private lines: LogLine[] = [];
  private head = 0;
  private bytes = 0;
  private readonly listeners = new Set<(line: LogLine) => void>();
  private readonly partial = { stdout: '', stderr: '' };

  constructor(private readonly limitBytes = DEFAULT_LOG_LIMIT_BYTES) {}

  /** Splits raw output into lines; an unterminated tail waits for the rest of its line. */
  write(stream: 'stdout' | 'stderr', chunk: string): void {
    const text = this.partial[stream] + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.push(stream, text.slice(start, nl + 1));
      start = nl + 1;
    }
    this.partial[stream] = text.slice(start);
  }

  /** Flushes unterminated output, as the runtime does when the process exits. */
  close(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.push(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
  }

  snapshot(): LogLine[] {
    return this.lines.slice(this.head);
  }

  subscribe(listener: (line: LogLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private push(stream: 'stdout' | 'stderr', text: string): void {
    const line: LogLine = { ...nowStamp(), stream, text };
    this.lines.push(line);
    this.bytes += text.length;
    while (this.bytes > this.limitBytes && this.head < this.lines.length - 1) {
      this.bytes -= this.lines[this.head]!.text.length;
      this.head++;
    }
    // Compact in batches so dropping old lines stays amortized O(1).
    if (this.head > 4096 && this.head * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.head);
      this.head = 0;
    }
    for (const listener of [...this.listeners]) listener(line);
  }
}
