/**
 * Logs, shells and port-forwards over a relay tunnel in this process (the stand-in relay pipes each
 * stream to a kube-sim with the demo scenario): a pod's containers with init and sidecar roles,
 * previous logs after a restart, a deployment's pods' logs interleaved, a shell that falls back to
 * sh in an image without bash, and port-forwards a real TCP client goes through.
 */
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import type { WorkloadLogLine } from '@switchboard/contract/app';
import type { KubeSim } from '@switchboard/kube-sim';
import { findResource } from '@switchboard/kube-sim/resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterBrowser } from '../../src/core/cluster-browser/cluster-browser.js';
import { sortKey } from '../../src/core/cluster-browser/log-interleave.js';
import { createLogger } from '../../src/core/logging/logger.js';
import type { RelayTunnel } from '../../src/core/tunnel/relay-tunnel.js';
import {
  type DemoBehindRelay,
  Pushes,
  rejection,
  startDemoBehindRelay,
} from '../support/cluster-browser-harness.js';

const OWNER = 'tab-1';

/** GET / on 127.0.0.1:port: the body, or the connection error's code. */
function httpGet(port: number): Promise<{ body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ body }));
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

/** busybox (no bash): a simulated app container, a container that crashes on its first run, an init container and a sidecar. */
const TOOLBOX = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'toolbox', namespace: 'shop', labels: { app: 'toolbox' } },
  spec: {
    initContainers: [
      { name: 'setup', image: 'busybox:1.36', command: ['sh', '-c', 'echo setting up'] },
      { name: 'shipper', image: 'busybox:1.36', restartPolicy: 'Always' },
    ],
    containers: [
      { name: 'main', image: 'busybox:1.36', ports: [{ containerPort: 7000, name: 'admin' }] },
      {
        name: 'flaky',
        image: 'busybox:1.36',
        command: [
          'sh',
          '-c',
          'n=$(cat runs 2>/dev/null || echo 0); n=$((n+1)); echo $n > runs; echo "run $n"; [ "$n" -gt 1 ] || exit 1; while true; do sleep 1; done',
        ],
      },
    ],
  },
};

describe('workloads over the relay tunnel: containers, logs, shells, port-forwards', {
  timeout: 60_000,
}, () => {
  let sim: KubeSim;
  let tunnel: RelayTunnel;
  let demo: DemoBehindRelay | undefined;
  let browser: ClusterBrowser;
  let pushes: Pushes;

  beforeAll(async () => {
    demo = await startDemoBehindRelay();
    ({ sim, tunnel } = demo);
    pushes = new Pushes();
    browser = new ClusterBrowser({ push: pushes.push, logger: createLogger('silent'), batchIntervalMs: 20 });
    browser.connect(tunnel);
    sim.store.create(findResource('', 'v1', 'pods')!, structuredClone(TOOLBOX));
  });
  afterAll(async () => {
    browser?.close();
    await demo?.close();
  });

  const podsOf = (app: string) =>
    sim.store
      .list(findResource('', 'v1', 'pods')!, 'shop')
      .filter((pod) => pod.metadata.labels?.app === app)
      .map((pod) => pod.metadata.name!)
      .sort();

  it('lists a pod’s containers with their roles; the one that restarted has a previous log', async () => {
    await expect
      .poll(
        async () =>
          (
            await browser.getPodContainers({ cluster: 'dev', namespace: 'shop', pod: 'toolbox' })
          ).containers.find((each) => each.name === 'flaky')?.hasPrevious,
        { timeout: 20_000 },
      )
      .toBe(true);
    const { containers } = await browser.getPodContainers({
      cluster: 'dev',
      namespace: 'shop',
      pod: 'toolbox',
    });
    expect(containers.map((each) => [each.name, each.role])).toEqual([
      ['setup', 'init'],
      ['shipper', 'sidecar'],
      ['main', 'container'],
      ['flaky', 'container'],
    ]);
    expect(containers.find((each) => each.name === 'main')?.ports).toEqual([
      { port: 7000, name: 'admin', protocol: 'TCP' },
    ]);
    expect(containers.find((each) => each.name === 'flaky')?.restartCount).toBeGreaterThan(0);

    const { logsId } = await browser.startLogs(
      {
        cluster: 'dev',
        namespace: 'shop',
        pod: 'toolbox',
        container: 'flaky',
        follow: false,
        previous: true,
        timestamps: true,
      },
      OWNER,
    );
    await pushes.waitFor('logs', (e) => e.logsId === logsId && 'end' in e);
    const text = pushes
      .of('logs')
      .filter((e) => e.logsId === logsId)
      .map((e) => ('text' in e ? e.text : ''))
      .join('');
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z run 1\n$/);
  });

  it('follows every pod of a deployment, interleaved by time, and a pod that joins', async () => {
    const { logsId } = await browser.startWorkloadLogs(
      { cluster: 'dev', namespace: 'shop', kind: 'deployments.apps', name: 'frontend', tailLines: 20 },
      OWNER,
    );
    const lines = () =>
      pushes
        .of('workloadLogs')
        .filter((e) => e.logsId === logsId)
        .flatMap((e) => ('lines' in e ? e.lines : []));
    await expect.poll(() => new Set(lines().map((line) => line.pod)).size, { timeout: 20_000 }).toBe(3);
    const pods = await pushes.waitFor(
      'workloadLogs',
      (e) =>
        e.logsId === logsId && 'pods' in e && e.pods.filter((pod) => pod.state === 'following').length === 3,
    );
    if (!('pods' in pods)) throw new Error('unreachable');
    expect(pods.pods.map((pod) => pod.name)).toEqual(podsOf('frontend'));
    expect(pods.pods.every((pod) => pod.container === 'frontend')).toBe(true);
    // The first push holds every pod's tail, in time order. (In process the streams open well within
    // the settle time, so this does not exercise the warm-up, which is for slow links.)
    const first = pushes.of('workloadLogs').find((e) => e.logsId === logsId && 'lines' in e) as {
      lines: WorkloadLogLine[];
    };
    expect(new Set(first.lines.map((line) => line.pod)).size).toBe(3);
    const keys = first.lines.map((line) => sortKey(line.time));
    expect(keys).toEqual([...keys].sort());

    const deployments = findResource('apps', 'v1', 'deployments')!;
    const frontend = sim.store.mustGet(deployments, 'shop', 'frontend');
    sim.store.update(deployments, { ...frontend, spec: { ...(frontend.spec as object), replicas: 4 } });
    await pushes.waitFor(
      'workloadLogs',
      (e) =>
        e.logsId === logsId && 'pods' in e && e.pods.filter((pod) => pod.state === 'following').length === 4,
    );
    // Back to two: the pods that go leave the list.
    const scaled = sim.store.mustGet(deployments, 'shop', 'frontend');
    sim.store.update(deployments, { ...scaled, spec: { ...(scaled.spec as object), replicas: 2 } });
    await expect.poll(() => podsOf('frontend').length, { timeout: 20_000 }).toBe(2);
    const left = await pushes.waitFor(
      'workloadLogs',
      (e) => e.logsId === logsId && 'pods' in e && e.pods.length === 2,
    );
    if (!('pods' in left)) throw new Error('unreachable');
    expect(left.pods.map((pod) => pod.name)).toEqual(podsOf('frontend'));
    browser.stopLogs(logsId);
  });

  it('a workload without a selector is refused with why', async () => {
    const refused = await rejection(
      browser.startWorkloadLogs(
        { cluster: 'dev', namespace: 'shop', kind: 'configmaps', name: 'frontend-config' },
        OWNER,
      ),
    );
    expect(refused).toMatchObject({ kind: 'invalid-request' });
    expect(refused.message).toMatch(/selects no pods/);
  });

  it('a workload whose pods cannot be listed ends its log with the cluster’s reason', async () => {
    sim.store.create(findResource('apps', 'v1', 'deployments')!, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'unlistable', namespace: 'shop' },
      spec: {
        replicas: 0,
        // Not a label key: the apiserver refuses the selector the list sends (`!=x`).
        selector: { matchLabels: { '!': 'x' } },
        template: {
          metadata: { labels: { app: 'x' } },
          spec: { containers: [{ name: 'c', image: 'busybox' }] },
        },
      },
    });
    const { logsId } = await browser.startWorkloadLogs(
      { cluster: 'dev', namespace: 'shop', kind: 'deployments.apps', name: 'unlistable' },
      OWNER,
    );
    const end = await pushes.waitFor('workloadLogs', (e) => e.logsId === logsId && 'end' in e);
    expect(end).toMatchObject({ end: true, error: { kind: 'invalid-request' } });
  });

  it('a shell asked for bash falls back to sh in busybox, and the session says which one runs', async () => {
    const { execId } = await browser.startExec(
      {
        cluster: 'dev',
        namespace: 'shop',
        pod: 'toolbox',
        container: 'main',
        command: ['bash'],
        fallbackCommand: ['sh'],
        columns: 80,
        rows: 24,
      },
      OWNER,
    );
    await pushes.waitFor(
      'exec',
      (e) => e.execId === execId && 'started' in e && e.started.command[0] === 'sh',
    );
    expect(pushes.of('exec').filter((e) => e.execId === execId && 'started' in e)).toEqual([
      { execId, started: { command: ['bash'] } },
      { execId, started: { command: ['sh'] } },
    ]);
    browser.execInput({ execId, data: 'echo "in $((40+2))"; exit 5\r' });
    const exit = await pushes.waitFor('exec', (e) => e.execId === execId && 'exit' in e);
    const output = pushes
      .of('exec')
      .map((e) => (e.execId === execId && 'output' in e ? e.output : ''))
      .join('');
    expect(output).toContain('in 42');
    expect(exit).toMatchObject({ exit: { code: 5 } });
  });

  it('forwards a pod port and a service port to 127.0.0.1; lists them to every window; Stop closes the port', async () => {
    const [pod] = podsOf('frontend');
    const forward = await browser.startPortForward({
      cluster: 'dev',
      namespace: 'shop',
      kind: 'pods',
      name: pod!,
      port: 80,
    });
    expect(forward).toMatchObject({
      pod,
      podPort: 80,
      state: 'forwarding',
      localAddress: `127.0.0.1:${forward.localPort}`,
    });
    const answer = await httpGet(forward.localPort);
    expect(answer).toEqual({ body: expect.stringContaining('Welcome to nginx!') });
    const broadcast = await pushes.waitFor('portForwards', (e) =>
      e.forwards.some((f) => f.forwardId === forward.forwardId),
    );
    expect(pushes.events.find((e) => e.data === broadcast)?.owner).toBeUndefined();

    expect(
      (
        await browser.getForwardablePorts({
          cluster: 'dev',
          namespace: 'shop',
          kind: 'services',
          name: 'api',
        })
      ).ports,
    ).toEqual([{ port: 80, name: 'http', detail: '→ 8080' }]);
    expect(
      (
        await browser.getForwardablePorts({
          cluster: 'dev',
          namespace: 'shop',
          kind: 'pods',
          name: 'toolbox',
        })
      ).ports,
    ).toEqual([{ port: 7000, name: 'admin', detail: 'container main' }]);
    const viaService = await browser.startPortForward({
      cluster: 'dev',
      namespace: 'shop',
      kind: 'services',
      name: 'api',
      port: 80,
    });
    expect(viaService.podPort).toBe(8080);
    expect(podsOf('api')).toContain(viaService.pod);
    expect(await httpGet(viaService.localPort)).toEqual({
      body: expect.stringMatching(/container api port 8080: GET \//),
    });
    expect(browser.listPortForwards().forwards.map((f) => f.forwardId)).toEqual([
      forward.forwardId,
      viaService.forwardId,
    ]);

    browser.stopPortForward(forward.forwardId);
    browser.stopPortForward(viaService.forwardId);
    expect(browser.listPortForwards().forwards).toEqual([]);
    expect(await httpGet(forward.localPort)).toEqual({ error: 'ECONNREFUSED' });
  });

  it('says a busy local port is busy, a refused pod port is reported, and a deleted pod stops its forward', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const busyPort = (busy.address() as { port: number }).port;
    const refused = await rejection(
      browser.startPortForward({
        cluster: 'dev',
        namespace: 'shop',
        kind: 'pods',
        name: 'toolbox',
        port: 7000,
        localPort: busyPort,
      }),
    );
    busy.close();
    expect(refused).toMatchObject({ kind: 'port-in-use' });
    expect(refused.message).toContain(`local port ${busyPort} is already in use`);
    expect(browser.listPortForwards().forwards).toEqual([]);

    const closed = await browser.startPortForward({
      cluster: 'dev',
      namespace: 'shop',
      kind: 'pods',
      name: 'toolbox',
      port: 7999,
    });
    expect(await httpGet(closed.localPort)).toMatchObject({ error: expect.any(String) });
    await expect
      .poll(
        () =>
          browser.listPortForwards().forwards.find((f) => f.forwardId === closed.forwardId)?.error?.message,
      )
      .toMatch(/refused a connection to port 7999/);
    expect(browser.listPortForwards().forwards[0]?.state).toBe('forwarding');

    sim.store.remove(findResource('', 'v1', 'pods')!, 'shop', 'toolbox');
    await expect
      .poll(async () => {
        await httpGet(closed.localPort);
        return browser.listPortForwards().forwards.find((f) => f.forwardId === closed.forwardId)?.state;
      })
      .toBe('failed');
    expect(browser.listPortForwards().forwards[0]?.error?.message).toMatch(/pod toolbox is gone/);
    browser.stopPortForward(closed.forwardId);
  });

  it('port-forwards end with the session they act for', async () => {
    const [pod] = podsOf('frontend');
    const forward = await browser.startPortForward({
      cluster: 'dev',
      namespace: 'shop',
      kind: 'pods',
      name: pod!,
      port: 80,
    });
    browser.disconnect({ kind: 'relay-unreachable', message: 'the session with the relay ended' });
    expect(browser.listPortForwards().forwards).toEqual([]);
    expect(pushes.of('portForwards').at(-1)).toEqual({ forwards: [] });
    expect(await httpGet(forward.localPort)).toEqual({ error: 'ECONNREFUSED' });
    browser.connect(tunnel);
  });
});
