/**
 * The cluster browser over a relay tunnel in this process, with no local proxy anywhere: the
 * stand-in relay pipes each tunnel stream to a kube-sim running the demo scenario. Lists and
 * watches, YAML, delete, logs and a shell all go over the tunnel; refusals arrive with their kind
 * and the relay's reason as the code; without a session the browser says to sign in, and a session
 * that ends ends the log streams.
 */

import type { AppError, AppEventName, AppEvents } from '@switchboard/contract/app';
import { type KubeSim, startKubeSim } from '@switchboard/kube-sim';
import { findResource } from '@switchboard/kube-sim/resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAppError } from '../../src/core/app/app-error.js';
import { ClusterBrowser } from '../../src/core/cluster-browser/cluster-browser.js';
import { createLogger } from '../../src/core/logging/logger.js';
import { RelayTunnel } from '../../src/core/tunnel/relay-tunnel.js';
import { type StandInRelay, startStandInRelay } from '../support/stand-in-relay.js';

const TOKEN = 'user-access-token-for-the-stand-in-relay';
const OWNER = 'tab-1';

/** Everything the browser pushed, with a way to wait for a push that matches. */
class Pushes {
  readonly events: { event: AppEventName; data: unknown; owner: string | undefined }[] = [];

  readonly push = <E extends AppEventName>(event: E, data: AppEvents[E], owner: string | undefined) => {
    this.events.push({ event, data, owner });
  };

  of<E extends AppEventName>(event: E): AppEvents[E][] {
    return this.events.filter((each) => each.event === event).map((each) => each.data as AppEvents[E]);
  }

  async waitFor<E extends AppEventName>(
    event: E,
    match: (data: AppEvents[E]) => boolean,
  ): Promise<AppEvents[E]> {
    await expect.poll(() => this.of(event).some(match), { timeout: 15_000 }).toBe(true);
    return this.of(event).find(match)!;
  }
}

/** How the failure reaches the UI. */
async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return toAppError(error);
  }
  throw new Error('expected the request to fail');
}

describe('ClusterBrowser over the relay tunnel', () => {
  let sim: KubeSim;
  let relay: StandInRelay;
  let tunnel: RelayTunnel;
  let browser: ClusterBrowser;
  let pushes: Pushes;

  beforeAll(async () => {
    [sim, relay] = await Promise.all([
      startKubeSim({ scenario: 'demo', podStartDelayMs: 0 }),
      startStandInRelay([TOKEN]),
    ]);
    relay.clusters.set('dev', { state: 'online', sim });
    relay.clusters.set('down', { state: 'offline' });
    relay.clusters.set('secret', { state: 'forbidden' });
    tunnel = new RelayTunnel({ relayUrl: relay.url, bearerToken: async () => TOKEN });
    tunnel.start();
    await tunnel.whenUp();
    pushes = new Pushes();
    browser = new ClusterBrowser({ push: pushes.push, logger: createLogger('silent'), batchIntervalMs: 10 });
    browser.connect(tunnel);
  });
  afterAll(async () => {
    browser?.close();
    await tunnel?.close();
    await relay?.close();
    await sim?.close();
  });

  const frontendPod = async () => {
    const { watchId } = browser.watchResources({ cluster: 'dev', kind: 'pods', namespace: 'shop' }, OWNER);
    const reset = await pushes.waitFor('resources', (e) => e.watchId === watchId && e.type === 'reset');
    browser.stopWatch(watchId);
    if (reset.type !== 'reset') throw new Error('unreachable');
    const pod = reset.rows.find((row) => row.name.startsWith('frontend') && row.cells.phase === 'Running');
    if (!pod) throw new Error('no running frontend pod in shop');
    return pod.name;
  };

  it('watches config maps: a new one arrives as upsert, its YAML reads back, deleting it arrives as delete', async () => {
    const { watchId } = browser.watchResources(
      { cluster: 'dev', kind: 'configmaps', namespace: 'shop' },
      OWNER,
    );
    await pushes.waitFor('resources', (e) => e.watchId === watchId && e.type === 'reset');
    sim.store.create(findResource('', 'v1', 'configmaps')!, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'browser-test', namespace: 'shop' },
      data: { a: '1' },
    });
    const upsert = await pushes.waitFor(
      'resources',
      (e) => e.watchId === watchId && e.type === 'upsert' && e.row.name === 'browser-test',
    );
    if (upsert.type !== 'upsert') throw new Error('unreachable');
    expect(upsert.row.cells).toEqual({ data: 1 });
    const { yaml } = await browser.getResourceYaml({
      cluster: 'dev',
      kind: 'configmaps',
      namespace: 'shop',
      name: 'browser-test',
    });
    expect(yaml).toMatch(/^ {2}a: "1"$/m);
    await browser.deleteResource({
      cluster: 'dev',
      kind: 'configmaps',
      namespace: 'shop',
      name: 'browser-test',
    });
    await pushes.waitFor(
      'resources',
      (e) => e.watchId === watchId && e.type === 'delete' && e.uid === upsert.row.uid,
    );
    browser.stopWatch(watchId);
    // Every request went over the tunnel, as the user (the agent impersonates), not as the admin.
    expect(relay.opens.every((open) => open.cluster !== 'dev' || open.mode === 'impersonate')).toBe(true);
    expect(relay.requestLines).toContain('DELETE /api/v1/namespaces/shop/configmaps/browser-test HTTP/1.1');
  });

  it('follows a pod log, and runs a command with a TTY whose exit code comes back', async () => {
    const pod = await frontendPod();
    const { logsId } = await browser.startLogs(
      { cluster: 'dev', namespace: 'shop', pod, follow: true, tailLines: 2 },
      OWNER,
    );
    await pushes.waitFor('logs', (e) => e.logsId === logsId && 'text' in e && e.text.length > 0);
    browser.stopLogs(logsId);

    const { execId } = await browser.startExec(
      {
        cluster: 'dev',
        namespace: 'shop',
        pod,
        command: ['sh', '-c', 'read line; echo "got $line"; exit 3'],
        columns: 100,
        rows: 30,
      },
      OWNER,
    );
    browser.execInput({ execId, data: 'hello\r' });
    const exit = await pushes.waitFor('exec', (e) => e.execId === execId && 'exit' in e);
    const output = pushes
      .of('exec')
      .filter((e) => e.execId === execId && 'output' in e)
      .map((e) => ('output' in e ? e.output : ''))
      .join('');
    expect(output).toContain('got hello');
    expect(exit).toEqual({ execId, exit: { code: 3, message: expect.any(String) } });
  });

  it('a missing object is not-found; a refused cluster keeps the refusal as its kind and code', async () => {
    const missing = await rejection(
      browser.getResourceYaml({ cluster: 'dev', kind: 'configmaps', namespace: 'shop', name: 'nope' }),
    );
    expect(missing).toMatchObject({ kind: 'not-found' });
    const offline = await rejection(
      browser.getResourceYaml({ cluster: 'down', kind: 'namespaces', name: 'shop' }),
    );
    expect(offline).toMatchObject({ kind: 'cluster-offline', code: 'cluster-offline' });
    expect(offline.message).toContain('cluster "down" is offline');
    const forbidden = await rejection(
      browser.getResourceYaml({ cluster: 'secret', kind: 'namespaces', name: 'shop' }),
    );
    expect(forbidden).toMatchObject({ kind: 'no-access', code: 'forbidden' });
  });

  it('without a session it says to sign in; a session that ends ends the log streams with why', async () => {
    const pod = await frontendPod();
    const { logsId } = await browser.startLogs(
      { cluster: 'dev', namespace: 'shop', pod, follow: true },
      OWNER,
    );
    browser.disconnect({ kind: 'relay-unreachable', message: 'the session with the relay ended' });
    expect(pushes.of('logs')).toContainEqual({
      logsId,
      end: true,
      error: { kind: 'relay-unreachable', message: 'the session with the relay ended' },
    });
    const signedOut = await rejection(
      browser.getResourceYaml({ cluster: 'dev', kind: 'namespaces', name: 'shop' }),
    );
    expect(signedOut).toMatchObject({ kind: 'sign-in-required' });

    browser.connect(tunnel);
    const { yaml } = await browser.getResourceYaml({ cluster: 'dev', kind: 'namespaces', name: 'shop' });
    expect(yaml).toMatch(/^kind: Namespace$/m);
  });
});
