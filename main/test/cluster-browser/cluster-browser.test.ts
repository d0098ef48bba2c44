/**
 * The cluster browser over a relay tunnel in this process, with no local proxy anywhere: the
 * stand-in relay pipes each tunnel stream to a kube-sim running the demo scenario. Lists and
 * watches, YAML, delete, logs and a shell all go over the tunnel; refusals arrive with their kind
 * and the relay's reason as the code; without a session the browser says to sign in, and a session
 * that ends ends the log streams.
 */

import type { KubeSim } from '@switchboard/kube-sim';
import { findResource } from '@switchboard/kube-sim/resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterBrowser } from '../../src/core/cluster-browser/cluster-browser.js';
import { createLogger } from '../../src/core/logging/logger.js';
import type { RelayTunnel } from '../../src/core/tunnel/relay-tunnel.js';
import {
  type DemoBehindRelay,
  Pushes,
  rejection,
  startDemoBehindRelay,
} from '../support/cluster-browser-harness.js';
import type { StandInRelay } from '../support/stand-in-relay.js';

const OWNER = 'tab-1';

describe('ClusterBrowser over the relay tunnel', () => {
  let sim: KubeSim;
  let relay: StandInRelay;
  let tunnel: RelayTunnel;
  let demo: DemoBehindRelay | undefined;
  let browser: ClusterBrowser;
  let pushes: Pushes;

  beforeAll(async () => {
    demo = await startDemoBehindRelay();
    ({ sim, relay, tunnel } = demo);
    relay.clusters.set('down', { state: 'offline' });
    relay.clusters.set('secret', { state: 'forbidden' });
    pushes = new Pushes();
    browser = new ClusterBrowser({
      push: pushes.push,
      logger: createLogger('silent'),
      batchIntervalMs: 10,
      // A kind missing from discovery makes it be read again at once (10 s in the app).
      discovery: { missRefreshMs: 0 },
    });
    browser.connect(tunnel);
  });
  afterAll(async () => {
    browser?.close();
    await demo?.close();
  });

  const frontendPod = async () => {
    const { watchId } = browser.watchResources({ cluster: 'dev', kind: 'pods', namespace: 'shop' }, OWNER);
    const reset = await pushes.waitFor('resources', (e) => e.watchId === watchId && e.type === 'reset');
    browser.stopWatch(watchId);
    if (reset.type !== 'reset') throw new Error('unreachable');
    const status = reset.columns.findIndex((column) => column.name === 'Status');
    const pod = reset.rows.find((row) => row.name.startsWith('frontend') && row.cells[status] === 'Running');
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
    // The Table's cells, as kubectl get prints them: NAME, DATA, AGE.
    expect(upsert.row.cells).toEqual(['browser-test', 1, expect.stringMatching(/^\d+s$/)]);
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

  it('groups the kinds the cluster serves as Lens does, custom resources by API group', async () => {
    const { groups } = await browser.discoverKinds({ cluster: 'dev' });
    const names = groups.map((group) => group.apiGroup ?? group.name);
    expect(names).toEqual([
      'Nodes',
      'Workloads',
      'Config',
      'Network',
      'Namespaces',
      'Events',
      'Access Control',
      'Custom Resources',
      'cert-manager.io',
    ]);
    const ids = (name: string) =>
      groups.find((group) => (group.apiGroup ?? group.name) === name)?.kinds.map((k) => k.id);
    expect(ids('Workloads')).toEqual(['pods', 'deployments.apps', 'replicasets.apps']);
    expect(ids('Config')).toEqual(['configmaps', 'secrets', 'poddisruptionbudgets.policy']);
    expect(ids('Custom Resources')).toEqual(['customresourcedefinitions.apiextensions.k8s.io']);
    const certificates = groups.find((group) => group.apiGroup === 'cert-manager.io')!.kinds[0]!;
    expect(certificates).toEqual({
      id: 'certificates.cert-manager.io',
      kind: 'Certificate',
      plural: 'certificates',
      group: 'cert-manager.io',
      version: 'v1',
      namespaced: true,
      verbs: expect.arrayContaining(['list', 'watch']),
      custom: true,
      listAllowed: true,
    });
  });

  it('lists a custom resource with its printer columns, and refuses a type the cluster does not serve', async () => {
    const { watchId } = browser.watchResources(
      { cluster: 'dev', kind: 'certificates.cert-manager.io' },
      OWNER,
    );
    const reset = await pushes.waitFor('resources', (e) => e.watchId === watchId && e.type === 'reset');
    browser.stopWatch(watchId);
    if (reset.type !== 'reset') throw new Error('unreachable');
    expect(reset.columns.map((column) => [column.name, column.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Secret', 0],
      ['Issuer', 1],
      ['Status', 1],
      ['Age', 0],
    ]);
    const admin = reset.rows.find((row) => row.name === 'admin-example-tls');
    expect(admin?.namespace).toBe('shop');
    expect(admin?.cells.slice(0, 4)).toEqual([
      'admin-example-tls',
      'False',
      'admin-example-tls',
      'letsencrypt',
    ]);

    const refused = await rejection(
      browser.getResourceYaml({ cluster: 'dev', kind: 'widgets.example.com', namespace: 'shop', name: 'w' }),
    );
    expect(refused.kind).toBe('not-found');
    expect(refused.message).toContain('dev does not serve the resource type widgets.example.com');
  });

  it('finds a CRD added after discovery was read, and forgets one deleted since', async () => {
    await browser.discoverKinds({ cluster: 'dev' });
    const definitions = findResource('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
    sim.store.create(definitions, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Cluster',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true }],
      },
    });
    const { watchId } = browser.watchResources({ cluster: 'dev', kind: 'widgets.example.com' }, OWNER);
    const reset = await pushes.waitFor('resources', (e) => e.watchId === watchId && e.type === 'reset');
    browser.stopWatch(watchId);
    if (reset.type !== 'reset') throw new Error('unreachable');
    expect(reset.columns.map((column) => column.name)).toEqual(['Name', 'Age']);
    const { groups } = await browser.discoverKinds({ cluster: 'dev' });
    expect(groups.find((group) => group.apiGroup === 'example.com')?.kinds.map((k) => k.id)).toEqual([
      'widgets.example.com',
    ]);

    sim.store.remove(definitions, undefined, 'widgets.example.com');
    const gone = await rejection(
      browser.getResourceYaml({ cluster: 'dev', kind: 'widgets.example.com', name: 'w' }),
    );
    expect(gone.kind).toBe('not-found');
    // The 404 made the browser read discovery again, which no longer has the kind.
    const refused = await rejection(
      browser.getResourceYaml({ cluster: 'dev', kind: 'widgets.example.com', name: 'w' }),
    );
    expect(refused.message).toContain('dev does not serve the resource type widgets.example.com');
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

  it('resumes a log from a time: timestamps on every line, none before the second asked for', async () => {
    const pod = await frontendPod();
    const logLines = async (params: { timestamps: true; sinceTime?: string }) => {
      const { logsId } = await browser.startLogs(
        { cluster: 'dev', namespace: 'shop', pod, follow: false, ...params },
        OWNER,
      );
      await pushes.waitFor('logs', (e) => e.logsId === logsId && 'end' in e);
      return pushes
        .of('logs')
        .filter((e) => e.logsId === logsId && 'text' in e)
        .map((e) => ('text' in e ? e.text : ''))
        .join('')
        .split('\n')
        .filter(Boolean);
    };
    const secondOf = (line: string) => `${line.slice(0, 19)}Z`;
    // nginx logs a probe a second: read until the log spans two seconds, so sinceTime has lines to leave out.
    let lines = await logLines({ timestamps: true });
    while (new Set(lines.map(secondOf)).size < 2) lines = await logLines({ timestamps: true });
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z /);
    const lastSecond = secondOf(lines.at(-1)!);
    const fromLastSecond = lines.filter((line) => secondOf(line) >= lastSecond);

    const again = await logLines({ timestamps: true, sinceTime: lastSecond });
    // The same lines from that second on (and perhaps a newer probe), none from before it.
    expect(again.slice(0, fromLastSecond.length)).toEqual(fromLastSecond);
    for (const line of again) expect(secondOf(line) >= lastSecond).toBe(true);
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
