/**
 * The tunnel with its relay ↔ agent hop across a shaped WAN link (the `link` benchmark):
 *
 *   near (this network namespace)                          far (a namespace of its own)
 *   client ─ local proxy ─ relay ◄─ delay line ◄══ veth, tbf each way ══► agents ─ kube-sim,
 *        │                                   ▲                                      byte server
 *        └──────────── delay line ═══════════╪══ (the direct baseline) ════════════════┘
 *   sshd ◄─ delay line ◄══════════════════════╧══ ssh -R (the ssh baseline)
 *
 * Every path crosses the same link once and the same delay line (`delay-line.ts`, 20 ms each way by
 * default) once. The relay serves TLS on the near end's address and names the delay line's route to
 * it as its public URL, which is what the agents dial (a non-loopback address: they mask as
 * deployed); the local proxy dials the relay's own port on the same address (no delay: the hop
 * measured is relay ↔ agent). Two clusters: `sim` (an agent fronting kube-sim) and `bytes` (an agent fronting
 * the byte server), both reached through the one local proxy and its one relay session.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { Agent, type AgentOptions } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCertificateAuthority } from '@switchboard/kube-sim/pki';
import type { RelayedStreamStats } from '@switchboard/relay-server';
import { parse } from 'yaml';
import { writeUpstreamKubeconfig } from './byte-server.js';
import { type DelayLine, startDelayLine } from './delay-line.js';
import { askHost } from './host-ipc.js';
import { writeServicePrincipal } from './service-principal.js';
import { createShapedLink, type LinkShape, type ShapedLink } from './shaped-link.js';
import { closeSplitHost, startSplitHost } from './split-chain.js';
import { type SshTunnel, sshAvailable, startSshReverseTunnel } from './ssh-tunnel.js';
import type { UpstreamHostReady } from './upstream-host.js';

export interface LinkChainOptions {
  shape: LinkShape;
  /** One-way delay the delay line adds (half the round trip). */
  oneWayDelayMs: number;
  /** The pod `sim`'s kube-sim runs for exec. */
  pod: string;
}

/** One way to an upstream: its base URL and a keep-alive client for it. */
export interface Target {
  base: string;
  headers: Record<string, string>;
  agent(options?: AgentOptions): Agent;
}

export interface LinkChain {
  link: ShapedLink;
  /** Through the tunnel (local proxy → relay → link → agent). */
  tunnel: { sim: Target; bytes: Target };
  /** Straight from here to the upstream across the same link and delay: the baseline. */
  direct: { sim: Target; bytes: Target };
  /** One `ssh -R` connection from the far namespace to sshd here across the link; or why not. */
  ssh: { sim: Target; bytes: Target; describe: string; pids: Record<string, number | undefined> } | string;
  /** The relay's own accounting per paired stream (over IPC). */
  relayedStreams(): Promise<RelayedStreamStats[]>;
  /** The processes of each path, for their CPU time. */
  pids: Record<'proxy' | 'relay' | 'simAgent' | 'bytesAgent' | 'delayLine', number | undefined>;
  close(): Promise<void>;
  /**
   * Synchronous last resort (an `exit` handler: hard time limit, Ctrl-C): kills every process this
   * chain started, removes the link and the temp directory.
   */
  abandon(): void;
}

const UPSTREAM_HOST = fileURLToPath(new URL('./upstream-host.js', import.meta.url));
const USER = 'demo';
const CLIENT_ID = 'bench-demo';

async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startLinkChain(options: LinkChainOptions): Promise<LinkChain> {
  const link = createShapedLink(options.shape);
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-link-'));
  const children: ChildProcess[] = [];
  let delayLine: DelayLine | undefined;
  let ssh: SshTunnel | undefined;
  let sshClosed = false;
  let removed = false;
  const abandon = () => {
    if (removed) return;
    removed = true;
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    delayLine?.abandon();
    // ssh runs in the far namespace (removing the link kills it); sshd runs here.
    if (ssh?.sshdPid !== undefined && !sshClosed) {
      try {
        process.kill(ssh.sshdPid, 'SIGKILL');
      } catch {}
    }
    link.remove();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const near = link.nearAddress;
    const far = link.farAddress;
    // The line holds twice what crosses it in one delay at the link's rate: whole-millisecond
    // timers release in bursts, and the line itself must never be what limits the rate.
    const capacityBytes = Math.ceil(
      ((2 * options.shape.rateBitsPerSecond) / 8) * (options.oneWayDelayMs / 1000),
    );
    delayLine = await startDelayLine({ delayMs: options.oneWayDelayMs, capacityBytes });
    const line = delayLine;

    const [command, ...args] = link.inFar([process.execPath, UPSTREAM_HOST, far, USER, options.pod]);
    const upstreamHost = spawn(command!, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(upstreamHost);
    const upstream = await readyOf<UpstreamHostReady>(upstreamHost, 'upstream host');

    const { usersFile, clientSecretFile } = await writeServicePrincipal(dataDir, {
      clientId: CLIENT_ID,
      username: USER,
    });

    // Off loopback the relay serves TLS only, as deployed: its own CA, trusted by every child through
    // NODE_EXTRA_CA_CERTS (the system store plus this one, like a private CA in a company).
    const ca = await createCertificateAuthority('bench-link-relay-ca');
    const serving = await ca.issue({ commonName: 'relay', serverNames: [near] });
    const tls = { certFile: join(dataDir, 'relay.crt'), keyFile: join(dataDir, 'relay.key') };
    const caFile = join(dataDir, 'relay-ca.crt');
    await writeFile(tls.certFile, serving.certPem);
    await writeFile(tls.keyFile, serving.keyPem, { mode: 0o600 });
    await writeFile(caFile, ca.certPem);
    const trust = { NODE_EXTRA_CA_CERTS: caFile };
    const relayPort = await freePort(near);
    const relayRoute = await line.route({ listen: { host: near }, target: { host: near, port: relayPort } });
    const relay = await startSplitHost(
      [
        'relay',
        join(dataDir, 'relay'),
        usersFile,
        'sim',
        USER,
        '{}',
        JSON.stringify({ listen: `${near}:${relayPort}`, publicUrl: `https://${near}:${relayRoute}`, tls }),
      ],
      trust,
    );
    children.push(relay.child);
    const agentRelayUrl = relay.ready.url!;
    const { joinToken: bytesJoinToken } = await askHost<
      { type: 'cluster-added'; joinToken: string },
      'cluster-added',
      { type: 'add-cluster'; cluster: string }
    >(relay.child, 'relay', { type: 'add-cluster', cluster: 'bytes' }, 'cluster-added');

    const agent = async (name: string, kubeconfig: string, joinToken: string) => {
      const stateDir = join(dataDir, `${name}-agent-state`);
      await mkdir(stateDir, { recursive: true, mode: 0o700 });
      // The join token in the environment, as for the agent's CLI: argv is visible to every local user.
      const host = await startSplitHost(
        ['agent', agentRelayUrl, kubeconfig, stateDir, '{}'],
        { ...trust, SWITCHBOARD_JOIN_TOKEN: joinToken },
        link.inFar,
      );
      children.push(host.child);
      return host.child;
    };
    const simKubeconfig = join(dataDir, 'sim.kubeconfig');
    await writeFile(simKubeconfig, upstream.simAdminKubeconfig, { mode: 0o600 });
    const bytesKubeconfig = join(dataDir, 'bytes.kubeconfig');
    await writeUpstreamKubeconfig(bytesKubeconfig, { url: upstream.bytesUrl, caPem: upstream.bytesCaPem });
    const simAgent = await agent('sim', simKubeconfig, relay.ready.joinToken!);
    const bytesAgent = await agent('bytes', bytesKubeconfig, bytesJoinToken);

    const proxy = await startSplitHost(
      ['proxy', `https://${near}:${relayPort}`, CLIENT_ID, clientSecretFile],
      trust,
    );
    children.push(proxy.child);
    const proxyPort = proxy.ready.port!;
    const proxyTarget = (cluster: string): Target => ({
      base: `https://127.0.0.1:${proxyPort}/clusters/${cluster}`,
      headers: { authorization: `Bearer ${proxy.ready.credential}` },
      agent: (extra = {}) => new Agent({ keepAlive: true, ca: proxy.ready.caCertPem, ...extra }),
    });

    const simPort = Number(new URL(upstream.simUrl).port);
    const adminUser = parse(upstream.simAdminKubeconfig).users[0].user;
    // Every way to an upstream but the tunnel arrives on 127.0.0.1 here; the certificates name localhost.
    const simTls: AgentOptions = {
      ca: upstream.simCaPem,
      cert: Buffer.from(adminUser['client-certificate-data'], 'base64').toString(),
      key: Buffer.from(adminUser['client-key-data'], 'base64').toString(),
      servername: 'localhost',
    };
    const bytesTls: AgentOptions = { ca: upstream.bytesCaPem, servername: 'localhost' };
    const localTarget = (port: number, tls: AgentOptions): Target => ({
      base: `https://127.0.0.1:${port}`,
      headers: {},
      agent: (extra = {}) => new Agent({ keepAlive: true, ...tls, ...extra }),
    });
    const toFar = (port: number) =>
      line.route({ listen: { host: '127.0.0.1' }, target: { host: far, port } });
    const direct = {
      sim: localTarget(await toFar(simPort), simTls),
      bytes: localTarget(await toFar(upstream.bytesPort), bytesTls),
    };

    const sshMissing = sshAvailable();
    if (!sshMissing) {
      ssh = await startSshReverseTunnel(
        [
          { host: far, port: simPort },
          { host: far, port: upstream.bytesPort },
        ],
        {
          inNamespace: link.inFar,
          sshdReachedAt: async (sshdPort) => ({
            host: near,
            port: await line.route({ listen: { host: near }, target: { host: '127.0.0.1', port: sshdPort } }),
          }),
          where: 'ssh in the far namespace, sshd here, one connection across the link and the delay line',
        },
      );
    }
    const sshTunnel = ssh;
    return {
      link,
      tunnel: { sim: proxyTarget('sim'), bytes: proxyTarget('bytes') },
      direct,
      ssh: sshTunnel
        ? {
            sim: localTarget(sshTunnel.ports[0]!, simTls),
            bytes: localTarget(sshTunnel.ports[1]!, bytesTls),
            describe: sshTunnel.describe,
            pids: { ssh: sshTunnel.sshPid, sshd: sshTunnel.sshdPid },
          }
        : `ssh -R baseline skipped: ${sshMissing}`,
      relayedStreams: async () => {
        const answer = once(relay.child, 'message') as Promise<[{ streams: RelayedStreamStats[] }]>;
        relay.child.send({ type: 'relayed-streams' });
        return (await answer)[0].streams;
      },
      pids: {
        proxy: proxy.child.pid,
        relay: relay.child.pid,
        simAgent: simAgent.pid,
        bytesAgent: bytesAgent.pid,
        delayLine: line.pid,
      },
      close: async () => {
        await sshTunnel?.close();
        sshClosed = true;
        // Proxy first (it drains its relay session), then the agents, then the relay.
        for (const child of [proxy.child, bytesAgent, simAgent, relay.child, upstreamHost]) {
          await closeSplitHost(child);
        }
        await line.close();
        abandon();
      },
      abandon,
    };
  } catch (error) {
    await ssh?.close().catch(() => {});
    sshClosed = true;
    abandon();
    throw error;
  }
}

/** The first message of a child that says `ready`, or an error if it exits first. */
async function readyOf<T>(child: ChildProcess, name: string): Promise<T> {
  const [ready] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`${name} exited (${code}) before it was ready`);
    }),
  ])) as [T];
  return ready;
}
