/** Percentiles, the machine line and the result line every benchmark prints for the runner. */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * The most of `times` (ms) that fall in any one interval `[t, t + windowMs)`, wherever it starts:
 * fixed buckets would split a burst that straddles a bucket edge and under-count it.
 */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

export function machine(): string {
  let kernel = '';
  try {
    kernel = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
  } catch {}
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${kernel}, Node ${process.version}`;
}

/** One figure: the measurement, its same-run baseline, and the target it is judged by. */
export interface Figure {
  name: string;
  value: string;
  baseline: string;
  ratio?: string;
  target: string;
  pass?: boolean;
}

export const RESULT_PREFIX = 'BENCH-RESULT ';

export function header(title: string, what: string): void {
  process.stdout.write(`\n${title}\n  ${what}\n  machine: ${machine()}\n`);
}

export function report(bench: string, figures: Figure[], notes: string[] = []): void {
  for (const f of figures) {
    const verdict = f.pass === undefined ? '    ' : f.pass ? 'PASS' : 'MISS';
    process.stdout.write(
      `  ${verdict}  ${f.name.padEnd(46)} ${f.value.padStart(14)}   baseline ${f.baseline.padStart(14)}${f.ratio ? `   ratio ${f.ratio}` : ''}   target ${f.target}\n`,
    );
  }
  for (const note of notes) process.stdout.write(`  note: ${note}\n`);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ bench, figures, notes })}\n`);
}

export const ms = (value: number): string => `${value.toFixed(2)} ms`;
export const mbps = (bytesPerSecond: number): string => `${(bytesPerSecond / 1e6).toFixed(0)} MB/s`;
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

/** Runs `main`, exiting non-zero with the stack on failure and always within `limitMs`. */
export function run(main: () => Promise<void>, limitMs: number): void {
  const guard = setTimeout(() => {
    process.stderr.write(`bench: gave up after ${limitMs / 1000} s\n`);
    process.exit(2);
  }, limitMs);
  guard.unref();
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}

export const sleep = (msec: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, msec));
