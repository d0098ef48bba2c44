/**
 * The floor under any three-process tunnel on this machine: the same hops as the split layout
 * (client —TLS→ "proxy" → "relay" → "agent" —TLS→ upstream, each middle part in a child process of
 * its own) doing nothing but TLS where the tunnel has it and `pipe()` between the sockets: no HTTP,
 * no WebSocket, no framing, no flow control. What the tunnel reaches is best read against this,
 * measured in the same run: on a machine with fewer cores than busy processes, the floor itself can
 * sit below a target that is a fraction of the one-process direct download.
 *
 * The relay hops are addressed as the tunnel's are (`relay-address.ts`): as deployed, "proxy" →
 * "relay" and "relay" → "agent" go over this host's non-loopback address with TLS, as the tunnel's
 * wss:// sessions do (the "relay" terminates one and originates the other; for the agent's leg the
 * roles of TLS client and server are swapped, which changes the handshake, not the per-byte work);
 * on loopback they are plain TCP on 127.0.0.1, as the tunnel's plain ws.
 *
 * Run as a child (`fork` of this file), it is one hop: it waits for its `HopConfig` over IPC, listens
 * on a free port, and answers with the port.
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
import type { RelayAddress } from './relay-address.js';
import type { TunnelProcess } from './split-chain.js';

interface HopConfig {
  /** Where the hop listens, and the TLS it terminates there (none: plain TCP). */
  listen: { host: string; tls?: { certPem: string; keyPem: string } };
  /** Where it forwards each connection, and the TLS it originates there (none: plain TCP). */
  next: { host: string; port: number; tls?: { caPem: string; servername?: string } };
}

export interface PipeFloor {
  /** `https://127.0.0.1:<port>`: the "proxy" end; its certificate is signed by `caPem`. */
  url: string;
  caPem: string;
  /** The hop processes' ids, in the tunnel processes' places, for their CPU time. */
  pids: Record<TunnelProcess, number | undefined>;
  close(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);
const LOOPBACK = '127.0.0.1';

export async function startPipeFloor(
  upstream: { port: number; caPem: string },
  relayAddress: RelayAddress,
): Promise<PipeFloor> {
  const ca = await createCertificateAuthority('bench-pipe-floor-ca');
  const serving = await ca.issue({
    commonName: 'pipe-floor',
    serverNames: [...new Set([LOOPBACK, 'localhost', relayAddress.host])],
  });
  const servingTls = { certPem: serving.certPem, keyPem: serving.keyPem };
  const relayHopTls = relayAddress.deployed;
  const children: ReturnType<typeof fork>[] = [];
  const hop = async (config: HopConfig) => {
    const child = fork(SELF, ['hop'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    child.send(config);
    const [port] = (await once(child, 'message')) as [number];
    return { port, pid: child.pid };
  };
  try {
    const agent = await hop({
      listen: { host: relayAddress.host, ...(relayHopTls && { tls: servingTls }) },
      next: { host: LOOPBACK, port: upstream.port, tls: { caPem: upstream.caPem, servername: 'localhost' } },
    });
    const relay = await hop({
      listen: { host: relayAddress.host, ...(relayHopTls && { tls: servingTls }) },
      next: { host: relayAddress.host, port: agent.port, ...(relayHopTls && { tls: { caPem: ca.certPem } }) },
    });
    const proxy = await hop({
      listen: { host: LOOPBACK, tls: servingTls },
      next: { host: relayAddress.host, port: relay.port, ...(relayHopTls && { tls: { caPem: ca.certPem } }) },
    });
    return {
      url: `https://${LOOPBACK}:${proxy.port}`,
      caPem: ca.certPem,
      pids: { proxy: proxy.pid, relay: relay.pid, agent: agent.pid },
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

async function runHop({ listen, next }: HopConfig): Promise<void> {
  const forward = (): Socket =>
    next.tls
      ? connectTls({
          host: next.host,
          port: next.port,
          ca: next.tls.caPem,
          ...(next.tls.servername && { servername: next.tls.servername }),
        })
      : connectTcp(next.port, next.host);
  const server = listen.tls
    ? createTlsServer({ cert: listen.tls.certPem, key: listen.tls.keyPem }, (socket) =>
        join(socket, forward()),
      )
    : createTcpServer((socket) => join(socket, forward()));
  server.listen(0, listen.host);
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
