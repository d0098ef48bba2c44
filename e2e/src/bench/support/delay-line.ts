/**
 * A TCP forwarder that adds a fixed one-way delay, for the shaped link (`shaped-link.ts`), where the
 * kernel has no `netem`: a route accepts a connection, connects onward, and each direction holds
 * every chunk it reads for `delayMs` in a timed queue before writing it on. Byte order is kept (one
 * queue per direction, released in order); a FIN is delayed like data and passed on as a half-close
 * (both sockets allow half-open connections); a reset or an error on either side resets the other
 * at once. Backpressure: a direction stops reading while it holds `capacityBytes` or more (queued,
 * plus what its outbound socket has not yet taken), so the line never holds more than it was built
 * for, and a slow receiver pushes back on the sender through TCP as a real path would.
 *
 * With a forwarder in the path, 20 ms each way gives a 40 ms round trip to everything that crosses
 * it. The TCP handshakes are not delayed (the connect to the forwarder completes at once); the
 * benchmarks that use it measure on connections that are already open.
 *
 * Run as a child (`startDelayLine` forks this file) so that its timers do not share an event loop
 * with the client or the tunnel: it takes routes over IPC and answers each with its port.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export interface DelayLineOptions {
  /** One-way delay of each direction. */
  delayMs: number;
  /** Bytes one direction of one connection holds at most before it stops reading. */
  capacityBytes: number;
}

export interface Route {
  /** Where the route listens (port 0 picks a free one). */
  listen: { host: string; port?: number };
  /** Where it connects for each accepted connection. */
  target: { host: string; port: number };
}

export interface DelayLine {
  /** The forwarder's process, for its CPU time. */
  pid: number | undefined;
  /** Opens a route; resolves with the port it listens on. */
  route(route: Route): Promise<number>;
  close(): Promise<void>;
  /** Kills the process at once if it still runs (for an `exit` handler). */
  abandon(): void;
}

/** Passes what `from` sends to `to`, `delayMs` later, in order; see the module comment. */
function delayDirection(from: Socket, to: Socket, options: DelayLineOptions): void {
  /** Chunks in arrival order with their release time; `null` is the FIN. */
  const line: { due: number; chunk: Buffer | null }[] = [];
  let queuedBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  const held = () => queuedBytes + to.writableLength;
  const resumeIfRoom = () => {
    if (from.isPaused() && held() < options.capacityBytes && !from.destroyed) from.resume();
  };
  const schedule = () => {
    if (timer || line.length === 0) return;
    // Timers fire on whole milliseconds and may fire a fraction early: release checks the time again.
    timer = setTimeout(release, Math.max(1, Math.ceil(line[0]!.due - performance.now())));
  };
  const release = () => {
    timer = undefined;
    const now = performance.now();
    while (line.length > 0 && line[0]!.due <= now) {
      const { chunk } = line.shift()!;
      if (chunk === null) to.end();
      else {
        queuedBytes -= chunk.length;
        to.write(chunk);
      }
    }
    schedule();
    resumeIfRoom();
  };
  const enqueue = (chunk: Buffer | null) => {
    line.push({ due: performance.now() + options.delayMs, chunk });
    schedule();
  };
  from.on('data', (chunk: Buffer) => {
    queuedBytes += chunk.length;
    enqueue(chunk);
    if (held() >= options.capacityBytes) from.pause();
  });
  from.on('end', () => enqueue(null));
  to.on('drain', resumeIfRoom);
  from.on('close', () => {
    // Closed without a FIN (a reset, an error): nothing queued is worth delivering, and the other
    // side learns it the same way, with a reset.
    if (!from.readableEnded) {
      clearTimeout(timer);
      if (!to.destroyed) to.resetAndDestroy();
    }
  });
}

/** Joins an accepted connection and its onward connection through the delay, both ways. */
export function delayConnection(accepted: Socket, onward: Socket, options: DelayLineOptions): void {
  for (const socket of [accepted, onward]) {
    socket.setNoDelay(true);
    socket.on('error', () => {});
  }
  delayDirection(accepted, onward, options);
  delayDirection(onward, accepted, options);
}

/** Serves one route in this process. */
export async function listenRoute(route: Route, options: DelayLineOptions): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, (accepted) => {
    const onward = connect({ host: route.target.host, port: route.target.port, allowHalfOpen: true });
    delayConnection(accepted, onward, options);
  });
  server.listen(route.listen.port ?? 0, route.listen.host);
  await once(server, 'listening');
  return server;
}

const SELF = fileURLToPath(import.meta.url);

/** The delay line in a child process of its own (in this network namespace). */
export async function startDelayLine(options: DelayLineOptions): Promise<DelayLine> {
  const child = fork(SELF, ['delay-line', JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await once(child, 'spawn');
  let pending = Promise.resolve();
  return {
    pid: child.pid,
    route(route) {
      // One question at a time, so each answer is the answer to its own route.
      const answer = pending.then(async () => {
        const reply = once(child, 'message') as Promise<[{ port?: number; error?: string }]>;
        child.send(route);
        const [{ port, error }] = await reply;
        if (port === undefined) throw new Error(`delay line: route ${JSON.stringify(route)}: ${error}`);
        return port;
      });
      pending = answer.then(
        () => {},
        () => {},
      );
      return answer;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    },
    abandon() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

if (process.argv[1] === SELF && process.argv[2] === 'delay-line') {
  const options = JSON.parse(process.argv[3]!) as DelayLineOptions;
  process.on('message', (route: Route) => {
    listenRoute(route, options).then(
      (server) => process.send?.({ port: (server.address() as AddressInfo).port }),
      (error: Error) => process.send?.({ error: error.message }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
