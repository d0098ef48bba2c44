/**
 * The floor under any three-process tunnel on this machine: the same hops as the split layout
 * (client —TLS→ "proxy" → "relay" → "agent" —TLS→ upstream, each middle part in a child process of
 * its own) doing nothing but TLS where the tunnel has it and `pipe()` between plain TCP sockets: no
 * HTTP, no WebSocket, no framing, no flow control. What the tunnel reaches is best read against
 * this, measured in the same run: on a machine with fewer cores than busy processes, the floor
 * itself can sit below a target that is a fraction of the one-process direct download.
 *
 * Run as a child (`fork` of this file), it is one hop: it waits for its `HopConfig` over IPC, listens
 * on a free loopback port, and answers with the port.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import {
  type AddressInfo,
  connect as connectTcp,
  createServer as createTcpServer,
  type Socket,
} from 'node:net';
import { connect as connectTls, createServer as createTlsServer } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { createCertificateAuthority } from '@switchboard/kube-sim/pki';

type HopConfig =
  /** Terminates the client's TLS, forwards plain bytes (the local proxy's place). */
  | { kind: 'terminate-tls'; next: number; certPem: string; keyPem: string }
  /** Forwards plain bytes (the relay's place). */
  | { kind: 'forward'; next: number }
  /** Takes plain bytes and opens TLS to the upstream (the agent's place). */
  | { kind: 'originate-tls'; next: number; caPem: string };

export interface PipeFloor {
  /** `https://127.0.0.1:<port>`: the "proxy" end; its certificate is signed by `caPem`. */
  url: string;
  caPem: string;
  close(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);

export async function startPipeFloor(upstream: { port: number; caPem: string }): Promise<PipeFloor> {
  const ca = await createCertificateAuthority('bench-pipe-floor-ca');
  const serving = await ca.issue({ commonName: 'pipe-floor', serverNames: ['127.0.0.1', 'localhost'] });
  const children: ReturnType<typeof fork>[] = [];
  const hop = async (config: HopConfig): Promise<number> => {
    const child = fork(SELF, ['hop'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    child.send(config);
    const [port] = (await once(child, 'message')) as [number];
    return port;
  };
  try {
    const agent = await hop({ kind: 'originate-tls', next: upstream.port, caPem: upstream.caPem });
    const relay = await hop({ kind: 'forward', next: agent });
    const proxy = await hop({
      kind: 'terminate-tls',
      next: relay,
      certPem: serving.certPem,
      keyPem: serving.keyPem,
    });
    return {
      url: `https://127.0.0.1:${proxy}`,
      caPem: ca.certPem,
      close: async () => {
        await Promise.all(
          children.map((child) => {
            child.kill();
            return child.exitCode === null ? once(child, 'exit') : undefined;
          }),
        );
      },
    };
  } catch (error) {
    for (const child of children) child.kill();
    throw error;
  }
}

function join(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
}

async function runHop(config: HopConfig): Promise<void> {
  const next = (): Socket =>
    config.kind === 'originate-tls'
      ? connectTls({ host: '127.0.0.1', port: config.next, ca: config.caPem, servername: 'localhost' })
      : connectTcp(config.next, '127.0.0.1');
  const server =
    config.kind === 'terminate-tls'
      ? createTlsServer({ cert: config.certPem, key: config.keyPem }, (socket) => join(socket, next()))
      : createTcpServer((socket) => join(socket, next()));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  process.send?.((server.address() as AddressInfo).port);
}

if (process.argv[1] === SELF && process.argv[2] === 'hop') {
  process.once('message', (config: HopConfig) => {
    runHop(config).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
}
