/**
 * Real kubectl and a node:https client, pointed at a chain's local proxy, each with its own
 * temporary HOME (so kubectl's discovery caches never mix between tests).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kubectl as KubectlRunner } from '@switchboard/test-support/kubectl';
import { kubectlBinary as findKubectl } from '@switchboard/test-support/kubectl-releases';
import type { ChainClient } from '../../src/chain/index.js';

/**
 * `kubectl.1.N` next to the real kubectl on PATH; throws when this machine lacks that release (a
 * suite that needs it is skipped with `requireKubectl`, so this is only ever a suite that forgot to).
 */
export function kubectlBinary(minor: number): string {
  const binary = findKubectl(minor);
  if (!binary)
    throw new Error(
      `kubectl.1.${minor} is not next to the kubectl on PATH; skip the suite with requireKubectl(${minor})`,
    );
  return binary;
}

/** Real kubectl with only a temp HOME (created here, removed by close()) and the given KUBECONFIG around it. */
export class Kubectl extends KubectlRunner {
  private constructor(
    binary: string,
    env: NodeJS.ProcessEnv,
    private readonly home: string,
  ) {
    super(binary, env);
  }

  static async create(minor: number, kubeconfig: string): Promise<Kubectl> {
    const home = await mkdtemp(join(tmpdir(), `chain-kubectl-1.${minor}-`));
    return new Kubectl(
      kubectlBinary(minor),
      { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig },
      home,
    );
  }

  async close(): Promise<void> {
    await rm(this.home, { recursive: true, force: true });
  }
}

export interface Fetched {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  // biome-ignore lint/suspicious/noExplicitAny: Kubernetes JSON
  json(): any;
}

/** An HTTPS client for a chain client's local proxy, with its local credential and CA. */
export function proxyClient(client: ChainClient, agentOptions: { maxSockets?: number } = {}) {
  const agent = new Agent({ keepAlive: true, ca: client.identity.caCertPem, ...agentOptions });
  const prefix = new URL(client.serverUrl).pathname;
  return {
    agent,
    fetch(
      path: string,
      init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
    ): Promise<Fetched> {
      const payload = init.body === undefined ? undefined : Buffer.from(JSON.stringify(init.body));
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: client.port,
            path: `${prefix}${path}`,
            method: init.method ?? 'GET',
            agent,
            headers: {
              authorization: `Bearer ${client.identity.credential}`,
              accept: 'application/json',
              ...(payload && { 'content-type': 'application/json' }),
              ...init.headers,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => {
              const body = Buffer.concat(chunks);
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body,
                json: () => JSON.parse(body.toString('utf8')),
              });
            });
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}
