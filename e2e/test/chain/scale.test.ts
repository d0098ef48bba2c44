/**
 * Volume through the whole chain: a LIST of more than 50 MB arrives complete (kubectl and a plain
 * HTTPS client), and 200 concurrent requests through the local proxy all succeed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireKubectl } from '../../../main/test/support/kubectl-releases.js';
import { type Chain, startChain } from '../../src/chain/index.js';
import { findResource } from '../../src/kube-sim/api/resources.js';
import { Kubectl, proxyClient } from './support.js';

const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;
const BULK_NS = 'bulk';
const COUNT = 560;
const VALUE_BYTES = 96 * 1024;

interface Item {
  metadata: { name: string };
  data: { payload: string };
}

/** The bulk ConfigMaps (the namespace also has its `kube-root-ca.crt`). */
const bulkItems = (list: { items: Item[] }) =>
  list.items.filter((item) => item.metadata.name.startsWith('bulk-'));

describe.skipIf(!requireKubectl(33))('volume through the whole chain', () => {
  let chain: Chain;
  let kubectl: Kubectl;

  beforeAll(async () => {
    chain = await startChain();
    await chain.kubeAdmin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: BULK_NS } });
    // Straight into kube-sim's store: 560 × 96 KiB ≈ 53 MiB of ConfigMaps.
    for (let i = 0; i < COUNT; i++) {
      const name = `bulk-${String(i).padStart(4, '0')}`;
      chain.sim!.store.create(CONFIGMAPS, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: BULK_NS },
        data: { payload: `${name}:`.padEnd(VALUE_BYTES, 'abcdefghijklmnopqrstuvwxyz0123456789') },
      });
    }
    kubectl = await Kubectl.create(33, chain.kubeconfigPath);
  });

  afterAll(async () => {
    await kubectl?.close();
    await chain?.close();
  });

  it('a LIST of more than 50 MB arrives whole over HTTPS', async () => {
    const http = proxyClient(chain.client);
    try {
      const response = await http.fetch(`/api/v1/namespaces/${BULK_NS}/configmaps`);
      expect(response.status).toBe(200);
      expect(response.body.length).toBeGreaterThan(50 * 1024 * 1024);
      const bulk = bulkItems(response.json());
      expect(bulk).toHaveLength(COUNT);
      expect(bulk.at(-1)!.metadata.name).toBe(`bulk-${String(COUNT - 1).padStart(4, '0')}`);
      for (const item of bulk) expect(item.data.payload.length).toBe(VALUE_BYTES);
    } finally {
      http.close();
    }
  });

  it('kubectl gets all of it (paged in chunks of 500)', async () => {
    const out = await kubectl.ok(['get', 'configmaps', '-n', BULK_NS, '-o', 'json'], { timeoutMs: 60_000 });
    expect(out.length).toBeGreaterThan(50 * 1024 * 1024);
    const names = bulkItems(JSON.parse(out)).map((item) => item.metadata.name);
    expect(names).toHaveLength(COUNT);
    expect(new Set(names).size).toBe(COUNT);
  });

  it('200 concurrent requests through the proxy all answer 200', async () => {
    const http = proxyClient(chain.client);
    try {
      const paths = Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0
          ? `/api/v1/namespaces/${BULK_NS}/configmaps/bulk-${String(i).padStart(4, '0')}`
          : '/api/v1/namespaces/shop/pods',
      );
      const responses = await Promise.all(paths.map((path) => http.fetch(path)));
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      expect(responses[0]!.json().metadata.name).toBe('bulk-0000');
      expect(responses[1]!.json().kind).toBe('PodList');
      // They were concurrent: as many client connections as requests.
      expect(
        Object.values(http.agent.sockets).flat().length + Object.values(http.agent.freeSockets).flat().length,
      ).toBeGreaterThan(100);
    } finally {
      http.close();
    }
  });
});
