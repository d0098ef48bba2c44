/**
 * A shaped network link between this (the root, "near") network namespace and a "far" one: a
 * network namespace of its own, joined to this one by a veth pair with a private /30 on it, and a
 * token bucket (`tc qdisc … tbf`) on the egress of each end, so each direction runs at the link's
 * rate behind a queue of a bounded length, as at a WAN bottleneck. There is no delay here (this
 * kernel has no `netem`): `delay-line.ts` adds the round trip.
 *
 * Needs root, `ip` and `tc` (iproute2) and the `tbf` qdisc. The names (namespace, interfaces) and
 * the /30 are unique per run. Removal is synchronous, so that it also runs from an `exit` handler
 * (a benchmark's hard time limit, Ctrl-C): deleting the near end of a veth pair deletes both ends and
 * their qdiscs; the namespace goes once the processes started in it are gone.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const CONGESTION_CONTROL = '/proc/sys/net/ipv4/tcp_congestion_control';

export interface LinkShape {
  /** Each direction's rate, bits per second. */
  rateBitsPerSecond: number;
  /** How long the bottleneck's queue is at that rate: its byte limit is rate × this. */
  queueMs: number;
  /** Bytes the token bucket lets through at once (at least one full frame). */
  burstBytes: number;
}

export interface ShapedLink {
  /** The far network namespace (`ip netns exec <namespace> …` runs a command there). */
  namespace: string;
  /** This namespace's end of the link, and the far end's. */
  nearAddress: string;
  farAddress: string;
  shape: LinkShape;
  /** Runs `argv` in the far namespace (the argv to spawn). */
  inFar(argv: string[]): string[];
  /** e.g. "veth sbl-1a2b3c-n ↔ sbl-1a2b3c-f (netns sbl-1a2b3c), 10.233.7.0/30, tbf 100 Mbit/s …". */
  describe: string;
  /** Kills what still runs in the far namespace, then removes the link and the namespace. */
  remove(): void;
}

/** Why a shaped link cannot be made here, or undefined if it can be tried. */
export function shapedLinkUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `needs Linux network namespaces (this is ${process.platform})`;
  if (process.getuid?.() !== 0)
    return 'needs root (it creates a network namespace, a veth pair and tc qdiscs)';
  for (const tool of ['ip', 'tc']) {
    if (spawnSync(tool, ['-V'], { stdio: 'ignore' }).error) {
      return `\`${tool}\` not found (apt-get install -y iproute2)`;
    }
  }
  return undefined;
}

/** The link could not be made (no network namespaces, no `tbf` …): the benchmark cannot run here. */
export class LinkUnavailableError extends Error {
  override readonly name = 'LinkUnavailableError';
}

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A /30 in 10.233.0.0/16 that no interface here uses yet. */
function freeSubnet(): { near: string; far: string } {
  const used = execFileSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' });
  for (let attempt = 0; attempt < 64; attempt++) {
    const third = 1 + (randomBytes(1)[0]! % 254);
    const base = 4 * (randomBytes(1)[0]! % 63);
    const prefix = `10.233.${third}.`;
    const near = `${prefix}${base + 1}`;
    const far = `${prefix}${base + 2}`;
    if (!used.includes(` ${near}/`) && !used.includes(` ${far}/`)) return { near, far };
  }
  throw new LinkUnavailableError('no free /30 in 10.233.0.0/16');
}

export function createShapedLink(shape: LinkShape): ShapedLink {
  const id = `sbl-${randomBytes(3).toString('hex')}`;
  const namespace = id;
  const nearDevice = `${id}-n`;
  const farDevice = `${id}-f`;
  const { near, far } = freeSubnet();
  const limitBytes = Math.round((shape.rateBitsPerSecond / 8) * (shape.queueMs / 1000));
  const tbf = ['root', 'tbf', 'rate', `${shape.rateBitsPerSecond}bit`, 'burst', `${shape.burstBytes}`];
  let made = false;
  const remove = () => {
    // Processes still in the namespace (a child killed by a hard time limit) would keep it alive.
    const pids = spawnSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' });
    for (const pid of (pids.stdout ?? '').split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {}
    }
    spawnSync('ip', ['link', 'del', nearDevice], { stdio: 'ignore' });
    spawnSync('ip', ['netns', 'del', namespace], { stdio: 'ignore' });
  };
  try {
    ip(['netns', 'add', namespace]);
    made = true;
    ip(['link', 'add', nearDevice, 'type', 'veth', 'peer', 'name', farDevice, 'netns', namespace]);
    ip(['addr', 'add', `${near}/30`, 'dev', nearDevice]);
    ip(['link', 'set', nearDevice, 'up']);
    ip(['-n', namespace, 'addr', 'add', `${far}/30`, 'dev', farDevice]);
    ip(['-n', namespace, 'link', 'set', farDevice, 'up']);
    ip(['-n', namespace, 'link', 'set', 'lo', 'up']);
    execFileSync('tc', ['qdisc', 'add', 'dev', nearDevice, ...tbf, 'limit', `${limitBytes}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    execFileSync(
      'tc',
      ['-n', namespace, 'qdisc', 'add', 'dev', farDevice, ...tbf, 'limit', `${limitBytes}`],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
  } catch (error) {
    if (made) remove();
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new LinkUnavailableError(
      `cannot make the shaped link: ${stderr || (error as Error).message} (it needs network namespaces, veth and the tbf qdisc)`,
    );
  }
  const mbit = shape.rateBitsPerSecond / 1e6;
  return {
    namespace,
    nearAddress: near,
    farAddress: far,
    shape,
    inFar: (argv) => ['ip', 'netns', 'exec', namespace, ...argv],
    describe:
      `veth ${nearDevice} ↔ ${farDevice} (netns ${namespace}), ${near} ↔ ${far}; each direction tbf ${mbit} Mbit/s, ` +
      `burst ${shape.burstBytes} B, queue limit ${limitBytes} B (${shape.queueMs} ms at the rate); ` +
      `TCP congestion control ${congestionControl()} near, ${congestionControl(namespace)} far`,
    remove,
  };
}

/** The TCP congestion control a namespace's sockets get (a per-namespace setting). */
function congestionControl(namespace?: string): string {
  const read = namespace
    ? spawnSync('ip', ['netns', 'exec', namespace, 'cat', CONGESTION_CONTROL], { encoding: 'utf8' })
    : spawnSync('cat', [CONGESTION_CONTROL], { encoding: 'utf8' });
  return read.status === 0 ? read.stdout.trim() : 'unknown';
}
