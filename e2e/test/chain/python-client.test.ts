/**
 * The official Kubernetes Python client through the whole chain: its exec and port-forward
 * (kubernetes.stream, WebSocket through websocket-client) send `Origin: http(s)://127.0.0.1:<port>`,
 * the local proxy's own origin, which the proxy must accept (it refused every Origin once, and
 * `kubernetes.stream` failed with "Handshake status 403 Forbidden"). Debian's interpreter and its
 * `python3-kubernetes`, as a new user on Debian has them (see .ci/run).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findResource } from '@switchboard/kube-sim/resources';
import { runCommand } from '@switchboard/test-support/child-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, startChain } from '../../src/chain/index.js';

/** Debian's interpreter: the `python3` on PATH may be another build without the packages. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./python-client.py', import.meta.url));

/** Runs the script; resolves with its JSON answer, or rejects with its stderr. */
async function python(kubeconfig: string, args: string[]): Promise<Record<string, unknown>> {
  const { code, stdout, stderr } = await runCommand(PYTHON, [SCRIPT, kubeconfig, ...args], process.env);
  if (code !== 0)
    throw new Error(`python-client.py ${args.join(' ')} exited ${code}:
${stderr}`);
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('the official Python client (kubernetes.stream) through the chain', { timeout: 60_000 }, () => {
  let chain: Chain;
  let pod: string;

  beforeAll(async () => {
    const probe = spawnSync(PYTHON, ['-c', 'import kubernetes, websocket'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      throw new Error(
        `${PYTHON} cannot import kubernetes and websocket (${probe.stderr.trim()}); install Debian's python3-kubernetes (see .ci/run)`,
      );
    }
    chain = await startChain({ kubeSim: { podStartDelayMs: 0 } });
    const pods = chain.sim!.store.list(findResource('', 'v1', 'pods')!, 'shop');
    pod = pods.find((p) => p.metadata.labels?.app === 'frontend')!.metadata.name!;
  }, 60_000);
  afterAll(async () => {
    await chain?.close();
  });

  it('exec: stdout, stderr and the exit code come back', async () => {
    const result = await python(chain.kubeconfigPath, [
      'exec',
      'shop',
      pod,
      'sh',
      '-c',
      'echo hello from python; echo oops >&2; exit 3',
    ]);
    expect(result).toEqual({ stdout: 'hello from python\n', stderr: 'oops\n', returncode: 3 });
  });

  it('port-forward: the nginx page of a frontend pod', async () => {
    const result = await python(chain.kubeconfigPath, ['port-forward', 'shop', pod, '80']);
    expect(result.response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(result.response).toContain('<title>Welcome to nginx!</title>');
    expect(result.error).toBeNull();
  });
});
