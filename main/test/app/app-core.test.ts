/**
 * AppCore as the hosts drive it, in-process, already signed in to the stand-in relay (its tunnel
 * streams piped to a kube-sim), with the proxy switched off: wire requests are validated before any
 * handler runs, the cluster browser answers over the session's tunnel, a refusal reaches the wire
 * response with its code, the state says what is true for the user now (the relay's statuses while
 * its stream is live, unknown once it stays down past the grace), and the status watcher's
 * "sign-in required" reaches the pushed state as an expired sign-in.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppEventMessage, AppState } from '@switchboard/contract/app';
import { type KubeSim, startKubeSim } from '@switchboard/kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../src/core/app/app-core.js';
import { EphemeralLocalIdentityStore } from '../../src/core/local-proxy/local-identity.js';
import { createLogger } from '../../src/core/logging/logger.js';
import { EphemeralTokenStore } from '../../src/core/token-store/ephemeral-token-store.js';
import { sampleTokens } from '../support/sample-tokens.js';
import { ScriptedStatusWatcher } from '../support/scripted-status-watcher.js';
import { type StandInRelay, startStandInRelay } from '../support/stand-in-relay.js';

describe('AppCore', () => {
  let sim: KubeSim;
  let relay: StandInRelay;
  let scratch: string;
  let core: AppCore;
  let watcher: ScriptedStatusWatcher;
  const pushed: AppEventMessage[] = [];

  beforeAll(async () => {
    [sim, relay, scratch] = await Promise.all([
      startKubeSim({ scenario: 'demo', podStartDelayMs: 0 }),
      startStandInRelay(),
      mkdtemp(join(tmpdir(), 'switchboard-app-core-')),
    ]);
    relay.clusters.set('dev', { state: 'online', sim });
    relay.clusters.set('down', { state: 'offline' });
    const tokens = sampleTokens(relay.url);
    relay.acceptedTokens.add(tokens.accessToken);
    const store = new EphemeralTokenStore();
    await store.save(relay.url, tokens);
    core = await AppCore.start({
      configDirectory: join(scratch, 'config'),
      store,
      localIdentityStore: new EphemeralLocalIdentityStore(),
      logger: createLogger('silent'),
      openBrowser: async () => {
        throw new Error('no browser in this test');
      },
      relayUrl: relay.url,
      userKubeconfigPath: join(scratch, 'kube', 'config'),
      defaultSettings: { backgroundMode: false, proxy: { enabled: false, port: 0 } },
      relayUnreachableGraceMs: 200,
      statusWatcher: () => {
        watcher = new ScriptedStatusWatcher();
        return watcher;
      },
    });
    core.on('push', (message) => pushed.push(message));
  });
  afterAll(async () => {
    await core?.close();
    await relay?.close();
    await sim?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('refuses an unknown method and params its schema rejects, before any handler runs', async () => {
    expect(await core.handleMessage({ id: 1, method: 'rebootEverything' }, 'tab')).toMatchObject({
      id: 1,
      ok: false,
      error: { kind: 'invalid-request' },
    });
    expect(await core.handleMessage({ id: 2, method: 'setProxyPort', params: { port: 80 } }, 'tab')).toEqual({
      id: 2,
      ok: false,
      error: { kind: 'invalid-request', message: expect.stringMatching(/^the request was refused: port: /) },
    });
    expect(core.state.proxy).toMatchObject({ enabled: false, port: 0 });
    await expect(core.request('stopWatch', { logsId: 'x' })).rejects.toMatchObject({
      kind: 'invalid-request',
    });
  });

  it('browses over the session tunnel with the proxy off; a refusal reaches the wire with its code', async () => {
    expect(core.state).toMatchObject({ signIn: 'signed-in', proxy: { enabled: false, state: 'off' } });
    const yamlOf = (id: number, cluster: string) =>
      core.handleMessage(
        { id, method: 'getResourceYaml', params: { cluster, kind: 'namespaces', name: 'shop' } },
        'tab',
      );
    // Once the session's tunnel is up (until then: relay-unreachable).
    await expect
      .poll(() => yamlOf(3, 'dev'), { timeout: 10_000 })
      .toMatchObject({ id: 3, ok: true, result: { yaml: expect.stringMatching(/^kind: Namespace$/m) } });
    expect(await yamlOf(4, 'down')).toEqual({
      id: 4,
      ok: false,
      error: {
        kind: 'cluster-offline',
        code: 'cluster-offline',
        message:
          'cluster "down" is offline: its agent is not connected to the relay (agent last seen 5 minutes ago)',
      },
    });
  });

  it('pushes what is true for the user: live statuses, then unknown once the stream stays down past the grace, then live again', async () => {
    const lastState = () =>
      pushed.findLast((message) => message.event === 'state')?.data as AppState | undefined;
    watcher.clusters = [
      {
        name: 'dev',
        description: '',
        labels: {},
        createdAt: '2026-01-01T00:00:00.000Z',
        createdBy: 'operator:test',
        status: 'connected',
        lastSeenAt: '2026-01-02T00:00:00.000Z',
        sessions: 1,
        metadata: null,
        recommendedAgentVersion: '1.0.0',
        upgradeAvailable: false,
      },
      {
        name: 'new',
        description: '',
        labels: {},
        createdAt: '2026-01-01T00:00:00.000Z',
        createdBy: 'operator:test',
        status: 'connecting',
        lastSeenAt: null,
        sessions: 0,
        metadata: null,
        recommendedAgentVersion: '1.0.0',
        upgradeAvailable: false,
        mayConnect: false,
      },
    ];
    watcher.emit('change');
    await expect.poll(() => lastState()?.clusters.length).toBe(2);
    expect(lastState()).toMatchObject({
      reach: { state: 'live' },
      backgroundModeAvailable: false,
      clusters: [
        { name: 'dev', presence: 'connected', mayOpen: true },
        { name: 'new', presence: 'not-joined', mayOpen: false },
      ],
    });

    watcher.state = 'reconnecting';
    watcher.emit('change');
    await expect.poll(() => lastState()?.reach.state).toBe('connecting');
    expect(lastState()?.clusters.map((view) => view.presence)).toEqual(['connected', 'not-joined']);
    // The grace passes with nothing else happening: the core's own timer pushes the new truth.
    await expect.poll(() => lastState()?.reach.state, { timeout: 5_000 }).toBe('relay-unreachable');
    expect(lastState()?.reach.confirmedAt).toEqual(expect.any(String));
    expect(lastState()?.clusters.map((view) => [view.presence, view.status])).toEqual([
      ['unknown', 'connected'],
      ['unknown', 'connecting'],
    ]);

    watcher.state = 'live';
    watcher.emit('change');
    await expect.poll(() => lastState()?.reach).toEqual({ state: 'live' });
    expect(lastState()?.clusters.map((view) => view.presence)).toEqual(['connected', 'not-joined']);
  });

  it('pushes "sign-in required" when the relay refuses the session', async () => {
    watcher.signInRequired = true;
    watcher.emit('change');
    await expect
      .poll(() =>
        pushed.some(
          (message) => message.event === 'state' && (message.data as AppState).signIn === 'sign-in-required',
        ),
      )
      .toBe(true);
    expect(core.state.problem).toMatchObject({ kind: 'sign-in-required' });
    expect(core.state.reach.state).toBe('sign-in-expired');
    expect(new Set(core.state.clusters.map((view) => view.presence))).toEqual(new Set(['unknown']));
  });
});
