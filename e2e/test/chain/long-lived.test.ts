/**
 * Long-lived flows through the whole chain across "several minutes" of events, with the chain's
 * clocks compressed so the suite stays fast: access tokens live 4 s (600 s in the demo), and the
 * relay pings every 200 ms and declares a session dead after 2 s without bytes (15 s / 45 s).
 * Over ~13 s of real time, some 30 minutes' worth of token lifetimes and several idle timeouts, a
 * `kubectl get -w`, a `logs -f` and an interactive `exec -i` keep going through quiet spells, token
 * renewals, and the retirement of the pooled streams beside them; every event arrives once, in order.
 * Relay, agent, proxy and kube-sim share this one event loop: the idle timeout is 10 pings long so
 * that a loaded machine stalling the loop for a second does not pass for a dead peer.
 */
import { spawn } from 'node:child_process';
import { setTimeout as quietFor } from 'node:timers/promises';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, startChain } from '../../src/chain/index.js';
import { Kubectl } from './support.js';

const NS = 'chain-long-lived';
const TOKEN_TTL_SECONDS = 4;
const RELAY_IDLE_TIMEOUT_MS = 2_000;
/** Quiet spells between the steps: half longer than the relay's idle timeout, one longer than a token's life. */
const QUIET_SPELLS_MS = [50, 2_200, 100, 2_600, 50, 2_300, 400, 4_500];

describe.skipIf(!requireKubectl(33))('long-lived flows through the whole chain', { timeout: 60_000 }, () => {
  let chain: Chain;
  let kubectl: Kubectl;

  beforeAll(async () => {
    chain = await startChain({
      accessTokenTtlSeconds: TOKEN_TTL_SECONDS,
      relayTunnel: { pingIntervalMs: 200, idleTimeoutMs: RELAY_IDLE_TIMEOUT_MS },
      kubeSim: { podStartDelayMs: 50 },
    });
    kubectl = await Kubectl.create(33, chain.kubeconfigPath);
    await kubectl.ok(['create', 'namespace', NS]);
    const pod = (name: string, script: string) =>
      chain.kubeAdmin.apply({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: NS },
        spec: { containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', script] }] },
      });
    await pod('shell', 'sleep 3600');
    await pod('ticker', 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done');
    await kubectl.ok(['wait', '-n', NS, '--for=condition=Ready', 'pod/shell', 'pod/ticker', '--timeout=20s']);
  }, 60_000);

  afterAll(async () => {
    await kubectl?.close();
    await chain?.close();
  });

  it('get -w, logs -f and exec -i run on across token lifetimes and quiet spells; every event arrives once, in order', async () => {
    const watch = kubectl.stream([
      'get',
      'configmaps',
      '-n',
      NS,
      '-w',
      '--output-watch-events',
      '--no-headers',
    ]);
    const logs = kubectl.stream(['logs', '-f', '-n', NS, 'ticker']);
    const exec = spawn(kubectl.binary, ['exec', '-i', '-n', NS, 'shell', '--', 'cat'], {
      env: kubectl.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let echoed = '';
    exec.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      echoed += chunk;
    });
    const echo = (line: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!echoed.includes(`${line}\n`)) return;
          exec.stdout.off('data', check);
          exec.off('exit', early);
          resolve();
        };
        const early = () => reject(new Error(`kubectl exec ended before echoing "${line}"`));
        exec.stdout.on('data', check);
        exec.once('exit', early);
        exec.stdin.write(`${line}\n`);
      });

    try {
      await watch.waitFor(/ADDED\s+kube-root-ca\.crt/);
      await logs.waitFor(/tick 1\n/);
      await echo('hello');
      const started = Date.now();
      const firstToken = await chain.client.bearerToken();

      for (const [step, quiet] of QUIET_SPELLS_MS.entries()) {
        await quietFor(quiet); // the quiet spell is the point: real time, on purpose
        const name = `step-${step}`;
        await chain.kubeAdmin.apply({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace: NS },
        });
        await watch.waitFor(new RegExp(`ADDED\\s+${name}\\s`));
        // Short requests beside the long ones, on pooled streams or fresh ones as tokens come and go.
        expect(await kubectl.ok(['get', 'configmap', name, '-n', NS, '-o', 'name'])).toBe(
          `configmap/${name}\n`,
        );
        await echo(`line ${step}`);
      }
      const lastTick = Number(/tick (\d+)\n(?![\s\S]*tick)/.exec(logs.stdout())?.[1]);
      await logs.waitFor(new RegExp(`tick ${lastTick + 1}\\n`));

      // Several token lifetimes went by, and the client renewed its token meanwhile.
      expect(Date.now() - started).toBeGreaterThan(3 * TOKEN_TTL_SECONDS * 1000);
      expect(await chain.client.bearerToken()).not.toBe(firstToken);
      // Still running, and nothing lost or repeated.
      for (const child of [watch.child, logs.child, exec]) expect(child.exitCode).toBeNull();
      const events = watch
        .stdout()
        .split('\n')
        .filter((line) => /\sstep-\d+\s/.test(line))
        .map((line) => line.split(/\s+/).slice(0, 2).join(' '));
      expect(events).toEqual(QUIET_SPELLS_MS.map((_, step) => `ADDED step-${step}`));
      const ticks = [...logs.stdout().matchAll(/tick (\d+)/g)].map((match) => Number(match[1]));
      expect(ticks).toEqual(ticks.map((_, index) => index + 1));
      const lines = ['hello', ...QUIET_SPELLS_MS.map((_, step) => `line ${step}`)];
      expect(echoed).toBe(lines.map((line) => `${line}\n`).join(''));
    } finally {
      exec.stdin.end();
      exec.kill('SIGTERM');
      await Promise.all([watch.stop(), logs.stop()]);
    }
  });
});
