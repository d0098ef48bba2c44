/**
 * CPU time (user + system) a process has used so far, from `/proc/<pid>/stat` (Linux): where the
 * cycles of a benchmark went, process by process. Undefined where /proc cannot say (another OS, a
 * process that exited).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** /proc reports times in USER_HZ ticks, which Linux fixes at 100 per second for user space. */
const TICKS_PER_SECOND = 100;

export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / TICKS_PER_SECOND : undefined;
}

/**
 * CPU time of a process and every live descendant (sshd serves each connection in processes it
 * forks): the sum over the tree found by parent pid in `/proc`.
 */
export function cpuSecondsOfTree(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const children = parents.get(parent) ?? [];
    children.push(Number(entry));
    parents.set(parent, children);
  }
  let total = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.pop()!;
    const seconds = cpuSeconds(next);
    if (seconds === undefined) {
      if (next === pid) return undefined;
      continue;
    }
    total += seconds;
    pending.push(...(parents.get(next) ?? []));
  }
  return total;
}
