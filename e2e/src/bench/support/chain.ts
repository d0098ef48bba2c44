import { Agent, type AgentOptions, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { type Chain, type ChainOptions, startChain } from '../../chain/index.js';
import { writeUpstreamKubeconfig } from './byte-server.js';

export interface BenchChainOptions {
  /** kube-sim (default), or any HTTPS server the agent should front (no agent credential sent). */
  upstream?: { kind: 'kube-sim' } | { kind: 'https'; url: string; caPem: string };
  relayTunnel?: ChainOptions['relayTunnel'];
  agent?: ChainOptions['agent'];
}

export interface BenchChain {
  chain: Chain;
  /** `https://127.0.0.1:<port>/clusters/<cluster>`: the cluster through the tunnel. */
  proxyBase: string;
  proxyHeaders: Record<string, string>;
  /** A keep-alive client for the local proxy (trusts its CA). */
  proxyAgent(options?: AgentOptions): Agent;
  /** The upstream directly (kube-sim as its admin, client certificate): the baseline. */
  directBase: string;
  directAgent(options?: AgentOptions): Agent;
  /** The TLS settings of `directAgent` (CA, admin client certificate), for clients of other kinds. */
  directTls: AgentOptions;
  close(): Promise<void>;
}

export async function startBenchChain(options: BenchChainOptions = {}): Promise<BenchChain> {
  const upstream = options.upstream ?? { kind: 'kube-sim' };
  let upstreamKubeconfig: string | undefined;
  if (upstream.kind === 'https') {
    upstreamKubeconfig = join(tmpdir(), `switchboard-bench-upstream-${process.pid}.kubeconfig`);
    await writeUpstreamKubeconfig(upstreamKubeconfig, upstream);
  }
  const chain = await startChain({
    cluster: 'bench',
    scenario: 'empty',
    kubeSim: { podStartDelayMs: 10 },
    ...(upstreamKubeconfig && { upstreamKubeconfig }),
    ...(options.relayTunnel && { relayTunnel: options.relayTunnel }),
    ...(options.agent && { agent: options.agent }),
  });
  let directBase: string;
  let directTls: AgentOptions;
  if (chain.sim) {
    const user = parse(chain.sim.adminKubeconfig).users[0].user;
    directBase = chain.sim.url;
    directTls = {
      ca: chain.sim.caPem,
      cert: Buffer.from(user['client-certificate-data'], 'base64').toString(),
      key: Buffer.from(user['client-key-data'], 'base64').toString(),
    };
  } else {
    const { url, caPem } = upstream as { url: string; caPem: string };
    directBase = url;
    directTls = { ca: caPem };
  }
  const { identity } = chain.client;
  return {
    chain,
    proxyBase: chain.proxyUrl,
    proxyHeaders: { authorization: `Bearer ${identity.credential}` },
    proxyAgent: (extra = {}) => new Agent({ keepAlive: true, ca: identity.caCertPem, ...extra }),
    directBase,
    directAgent: (extra = {}) => new Agent({ keepAlive: true, ...directTls, ...extra }),
    directTls,
    close: () => chain.close(),
  };
}

export interface Answer {
  status: number;
  text: string;
  bytes: number;
  ms: number;
}

/** One HTTPS request; the body is kept as text only when small. */
export function send(
  agent: Agent,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const payload = init.body === undefined ? undefined : Buffer.from(JSON.stringify(init.body));
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, {
      agent,
      method: init.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(payload && { 'content-type': 'application/json', 'content-length': String(payload.length) }),
        ...init.headers,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes < 64 * 1024) chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          bytes,
          ms: performance.now() - start,
        }),
      );
    });
    req.end(payload);
  });
}

/** `count` GETs of `url` one after another; each one's time in ms. Anything but 200 is an error. */
export async function sequentialGets(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  count: number,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const answer = await send(agent, url, { headers });
    if (answer.status !== 200) throw new Error(`GET ${url}: ${answer.status} ${answer.text}`);
    times.push(answer.ms);
  }
  return times;
}

/** Downloads `bytes` from the byte server at `base` (`/bytes?n=`); the rate in bytes per second. */
export async function downloadRate(
  agent: Agent,
  base: string,
  headers: Record<string, string>,
  bytes: number,
): Promise<number> {
  const answer = await send(agent, `${base}/bytes?n=${bytes}`, { headers });
  if (answer.status !== 200 || answer.bytes !== bytes) {
    throw new Error(`download from ${base}: HTTP ${answer.status}, ${answer.bytes} of ${bytes} bytes`);
  }
  return bytes / (answer.ms / 1000);
}
