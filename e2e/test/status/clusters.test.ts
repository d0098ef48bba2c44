/**
 * `switchboard clusters` (table, json, --watch) in child processes against a real relay with its
 * embedded OpenID provider, signed in as a service principal whose tokens live in a real
 * gnome-keyring; and the ClusterStatusWatcher in-process against the same relay.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClusterEvent, clusterViewSchema } from '@switchboard/contract/relay-api';
import { ClusterStatusWatcher, createLogger, SignInRequiredError } from '@switchboard/main/core';
import { type Relay, startRelay } from '@switchboard/relay-server';
import { runNode } from '@switchboard/test-support/child-process';
import { type PrivateKeyring, startPrivateKeyring } from '@switchboard/test-support/private-keyring';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SWITCHBOARD_CLI } from '../support/entry-points.js';

const PRINCIPAL = {
  clientId: 'status-reader',
  clientSecret: 'status-reader-secret-0123456789abcdef',
  username: 'status-bot',
  groups: ['readers'],
};
const operator = { kind: 'operator' as const, name: 'operator:test' };

describe('switchboard clusters', () => {
  let keyring: PrivateKeyring;
  let relay: Relay;
  let scratch: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'switchboard-clusters-'));
    const usersFile = join(scratch, 'users.json');
    await writeFile(
      usersFile,
      JSON.stringify({
        users: [{ username: 'alice', password: 'alice-password' }],
        servicePrincipals: [PRINCIPAL],
      }),
      {
        mode: 0o600,
      },
    );
    [keyring, relay] = await Promise.all([
      startPrivateKeyring(),
      startRelay(
        {
          listen: '127.0.0.1:0',
          dataDir: join(scratch, 'relay-data'),
          devIdp: { enabled: true, usersFile },
          agents: { recommendedVersion: '1.0.0' },
          logLevel: 'silent',
        },
        { statusStream: { keepAliveMs: 1_000 } },
      ),
    ]);
    env = { ...keyring.env, SWITCHBOARD_RECONNECT_MAX_DELAY_MS: '500' };
    for (const name of ['alpha', 'beta', 'gamma']) await relay.admin.createCluster(operator, { name });
    for (const name of ['alpha', 'beta']) {
      await relay.admin.grant(operator, name, { subjectKind: 'group', subject: 'readers', role: 'connect' });
    }
    // What the relay stores from an agent's heartbeat, as it stores it.
    await relay.registry.recordPresence('alpha', new Date(Date.now() - 5 * 60_000), {
      agentVersion: '0.9.0',
      kubernetesVersion: 'v1.33.1',
      nodeCount: 3,
      reportedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    });
    const secretFile = join(scratch, 'secret');
    await writeFile(secretFile, PRINCIPAL.clientSecret, { mode: 0o600 });
    const login = await runNode(
      SWITCHBOARD_CLI,
      ['login', '--relay', relay.url, '--client-id', PRINCIPAL.clientId, '--client-secret-file', secretFile],
      env,
    );
    expect(login.code, login.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([relay?.close(), keyring?.stop()]);
    await rm(scratch, { recursive: true, force: true });
  });

  /** An access token for the service principal, straight from the dev IdP (client credentials). */
  const principalToken = async () => {
    const client = await oidc.discovery(
      new URL(`${relay.url}/dev-idp`),
      PRINCIPAL.clientId,
      undefined,
      oidc.ClientSecretBasic(PRINCIPAL.clientSecret),
      { execute: [oidc.allowInsecureRequests] },
    );
    return (await oidc.clientCredentialsGrant(client, { resource: relay.url })).access_token;
  };

  it('prints a table of the granted clusters: status, last seen, Kubernetes version, nodes, agent and upgrade', async () => {
    // "alpha" was seen 5 minutes ago and is offline; "beta" never connected: not-joined, as the app says.
    const result = await runNode(SWITCHBOARD_CLI, ['clusters'], env);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+LAST SEEN\s+KUBERNETES\s+NODES\s+AGENT$/);
    expect(lines[1]).toMatch(
      /^alpha\s+offline\s+5m ago\s+v1\.33\.1\s+3\s+0\.9\.0 \(upgrade available: 1\.0\.0\)$/,
    );
    expect(lines[2]).toMatch(/^beta\s+not-joined\s+never\s+-\s+-\s+-$/);
    expect(lines).toHaveLength(3);
  });

  it("--output json prints the relay's cluster views", async () => {
    const result = await runNode(SWITCHBOARD_CLI, ['clusters', '--output', 'json'], env);
    expect(result.code, result.stderr).toBe(0);
    const views = clusterViewSchema.array().parse(JSON.parse(result.stdout));
    expect(views.map((view) => [view.name, view.status, view.upgradeAvailable])).toEqual([
      ['alpha', 'offline', true],
      ['beta', 'connecting', false],
    ]);
    const wrong = await runNode(SWITCHBOARD_CLI, ['clusters', '--output', 'yaml'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--output must be table or json, not "yaml"');
  });

  it('--watch --output json prints one JSON event per line: snapshot, then grants and deletions as they happen', async () => {
    const watch = watchCli(['clusters', '--watch', '--output', 'json'], env);
    const snapshot = await watch.nextEvent((event) => event.event === 'snapshot');
    expect(snapshot.event === 'snapshot' && snapshot.data.items.map((view) => view.name)).toEqual([
      'alpha',
      'beta',
    ]);

    await relay.admin.grant(operator, 'gamma', {
      subjectKind: 'user',
      subject: PRINCIPAL.username,
      role: 'connect',
    });
    const granted = await watch.nextEvent((event) => event.event === 'cluster');
    expect(granted.event === 'cluster' && granted.data).toMatchObject({
      name: 'gamma',
      status: 'connecting',
    });
    await relay.admin.revoke(operator, 'gamma', 'user', PRINCIPAL.username);
    expect(await watch.nextEvent((event) => event.event === 'removed')).toEqual({
      event: 'removed',
      data: { name: 'gamma' },
    });
    const exit = await watch.stop();
    expect(exit.code).toBe(0);
  });

  it('--watch (table) prints the table, then a line per change', async () => {
    const watch = watchCli(['clusters', '--watch'], env);
    await watch.stdoutMatching(/^beta\s+not-joined\s+never/m);
    await relay.registry.recordPresence('beta', new Date(), {
      agentVersion: '1.0.0',
      kubernetesVersion: 'v1.32.0',
      nodeCount: 1,
      reportedAt: new Date().toISOString(),
    });
    relay.status.service.clusterChanged('beta');
    const line = await watch.stdoutMatching(
      /^\S+Z {2}beta {2}offline {2}\d+s ago {2}v1\.32\.0 {2}1 {2}1\.0\.0$/m,
    );
    expect(line).toBeTruthy();
    expect((await watch.stop()).code).toBe(0);
  });

  it('ClusterStatusWatcher: live with a sorted list; sign-in required stops it (no retries) until start() again', async () => {
    const token = await principalToken();
    let signedIn = false;
    let tokenCalls = 0;
    const watcher = new ClusterStatusWatcher({
      relayUrl: relay.url,
      bearerToken: async () => {
        tokenCalls++;
        if (!signedIn) throw new SignInRequiredError(relay.url, 'no stored tokens');
        return token;
      },
      logger: createLogger('silent'),
      backoff: { baseDelayMs: 10, maxDelayMs: 50 },
    });
    const changed = (predicate: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!predicate()) return;
          watcher.off('change', check);
          resolve();
        };
        watcher.on('change', check);
        check();
      });
    try {
      watcher.start();
      await changed(() => watcher.signInRequired);
      expect(watcher.state).toBe('idle');
      // Stopped: no retry storm while the user has not signed in.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(tokenCalls).toBe(1);

      signedIn = true;
      watcher.start();
      expect(watcher.signInRequired).toBe(false);
      await changed(() => watcher.state === 'live');
      expect(watcher.clusters.map((view) => view.name)).toEqual(['alpha', 'beta']);

      await relay.admin.createCluster(operator, { name: 'aardvark' });
      await relay.admin.grant(operator, 'aardvark', {
        subjectKind: 'group',
        subject: 'readers',
        role: 'connect',
      });
      await changed(() => watcher.clusters.length === 3);
      expect(watcher.clusters.map((view) => view.name)).toEqual(['aardvark', 'alpha', 'beta']);
      await relay.admin.deleteCluster(operator, 'aardvark');
      await changed(() => watcher.clusters.length === 2);
    } finally {
      watcher.close();
    }
    expect(watcher.state).toBe('idle');
  });

  it('ClusterStatusWatcher: a token the relay refuses is renewed once, then the stream goes live', async () => {
    const good = await principalToken();
    // Unexpired but refused, as after the issuer rotated its keys: the signature no longer verifies.
    const [header, payload, signature] = good.split('.');
    const refused = `${header}.${payload}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
    let current = refused;
    const renewals: string[] = [];
    const watcher = new ClusterStatusWatcher({
      relayUrl: relay.url,
      bearerToken: async () => current,
      renewRejectedToken: async (rejected) => {
        renewals.push(rejected);
        current = good;
        return current;
      },
      logger: createLogger('silent'),
      backoff: { baseDelayMs: 10, maxDelayMs: 50 },
    });
    try {
      const live = new Promise<void>((resolve) => {
        watcher.on('change', () => {
          if (watcher.state === 'live') resolve();
        });
      });
      watcher.start();
      await live;
      expect(renewals).toEqual([refused]);
      expect(watcher.clusters.map((view) => view.name)).toEqual(['alpha', 'beta']);
    } finally {
      watcher.close();
    }
  });

  it('ClusterStatusWatcher: a dropped stream → reconnecting (last list kept) → live again with a fresh snapshot', async () => {
    const token = await principalToken();
    // The first connection is cut after its snapshot, as a network failure would cut it.
    let connections = 0;
    const cutting: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (++connections > 1 || !response.body) return response;
      const reader = response.body.getReader();
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent) {
            await reader.cancel();
            controller.error(new Error('connection reset'));
            return;
          }
          const { value, done } = await reader.read();
          if (done) controller.close();
          else {
            sent = String(new TextDecoder().decode(value)).includes('event: snapshot');
            controller.enqueue(value);
          }
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const watcher = new ClusterStatusWatcher({
      relayUrl: relay.url,
      bearerToken: async () => token,
      logger: createLogger('silent'),
      fetch: cutting,
      backoff: { baseDelayMs: 10, maxDelayMs: 50 },
    });
    const states: string[] = [];
    let whileReconnecting: string[] | undefined;
    watcher.on('change', () => {
      if (states.at(-1) !== watcher.state) states.push(watcher.state);
      if (watcher.state === 'reconnecting') whileReconnecting = watcher.clusters.map((view) => view.name);
    });
    try {
      watcher.start();
      await expect.poll(() => connections, { timeout: 10_000 }).toBe(2);
      await expect.poll(() => watcher.state, { timeout: 10_000 }).toBe('live');
      expect(states).toEqual(['live', 'reconnecting', 'live']);
      expect(whileReconnecting).toEqual(['alpha', 'beta']);
    } finally {
      watcher.close();
    }
  });
});

interface WatchChild {
  nextEvent(predicate: (event: ClusterEvent) => boolean): Promise<ClusterEvent>;
  stdoutMatching(pattern: RegExp): Promise<RegExpMatchArray>;
  stop(): Promise<{ code: number | null; stderr: string }>;
}

/** `switchboard …` as a long-running child; stdout awaited line by line, SIGINT to stop. */
function watchCli(args: string[], env: NodeJS.ProcessEnv): WatchChild {
  const child = spawn(process.execPath, [SWITCHBOARD_CLI, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let consumed = 0;
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of [...listeners]) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stderr })),
  );
  const until = <T>(probe: () => T | undefined, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no ${what} within 15 s\nstdout: ${stdout}\nstderr: ${stderr}`));
      }, 15_000);
      function check() {
        const value = probe();
        if (value === undefined) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve(value);
      }
      listeners.add(check);
      check();
    });
  return {
    nextEvent: (predicate) =>
      until(() => {
        const lines = stdout.split('\n');
        for (let index = consumed; index < lines.length - 1; index++) {
          const event = JSON.parse(lines[index]!) as ClusterEvent;
          if (predicate(event)) {
            consumed = index + 1;
            return event;
          }
        }
        return undefined;
      }, 'matching event'),
    stdoutMatching: (pattern) => until(() => stdout.match(pattern) ?? undefined, `stdout ${pattern}`),
    stop: () => {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      return exited.finally(() => clearTimeout(timer));
    },
  };
}
