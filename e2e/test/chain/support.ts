/**
 * Real kubectl and a node:https client, pointed at a chain's local proxy, each with its own
 * temporary HOME (so kubectl's discovery caches never mix between tests).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import type { ChainClient } from '../../src/chain/index.js';

/** `kubectl.1.N` next to the real kubectl on PATH (the machines carry several releases). */
export function kubectlBinary(minor: number): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'kubectl');
    if (!dir || !existsSync(candidate)) continue;
    const versioned = join(dirname(realpathSync(candidate)), `kubectl.1.${minor}`);
    if (existsSync(versioned)) return versioned;
  }
  throw new Error(`kubectl.1.${minor} is not next to the kubectl on PATH`);
}

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningKubectl {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout matches (checked on every chunk); rejects if kubectl exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Real kubectl with only a temp HOME and the given KUBECONFIG around it. */
export class Kubectl {
  private constructor(
    readonly binary: string,
    readonly env: NodeJS.ProcessEnv,
    private readonly home: string,
  ) {}

  static async create(minor: number, kubeconfig: string): Promise<Kubectl> {
    const home = await mkdtemp(join(tmpdir(), `chain-kubectl-1.${minor}-`));
    return new Kubectl(
      kubectlBinary(minor),
      { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig },
      home,
    );
  }

  run(args: string[], options: { input?: string | Buffer; timeoutMs?: number } = {}): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, args, { env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk;
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`kubectl ${args.join(' ')} timed out\nstderr: ${stderr}`));
      }, options.timeoutMs ?? 20_000);
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr });
      });
      child.stdin.on('error', () => {});
      child.stdin.end(options.input ?? '');
    });
  }

  async ok(args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} exited ${result.code}\n${result.stderr}${result.stdout}`);
    }
    return result.stdout;
  }

  stream(args: string[]): RunningKubectl {
    const child = spawn(this.binary, args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
    });
    return {
      child,
      stdout: () => stdout,
      stderr: () => stderr,
      waitFor(pattern, timeoutMs = 15_000) {
        return new Promise((resolve, reject) => {
          const check = () => {
            if (!pattern.test(stdout)) return;
            cleanup();
            resolve();
          };
          const onExit = () => {
            cleanup();
            reject(new Error(`kubectl exited before ${pattern}:\n${stderr}${stdout}`));
          };
          const timer = setTimeout(() => {
            cleanup();
            reject(new Error(`timed out waiting for ${pattern}\n${stdout}\n${stderr}`));
          }, timeoutMs);
          const cleanup = () => {
            clearTimeout(timer);
            child.stdout!.off('data', check);
            child.off('exit', onExit);
          };
          child.stdout!.on('data', check);
          child.once('exit', onExit);
          check();
        });
      },
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      },
    };
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
