/**
 * Volume through the whole chain: a LIST of more than 50 MB arrives complete (kubectl, paging, and a
 * plain HTTPS client in one piece), and 200 concurrent requests through the local proxy all succeed.
 */

import { findResource } from '@switchboard/kube-sim/resources';
import { capturingLogger } from '@switchboard/test-support/capturing-logger';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, startChain } from '../../src/chain/index.js';
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
  /** The agent's request log: what reached the apiserver, method, path (no query) and status. */
  const agentLog = capturingLogger('debug');

  beforeAll(async () => {
    chain = await startChain({ agent: { logger: agentLog.logger } });
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

  it('kubectl gets all of it, paged in chunks of 500: two LISTs, the second resuming where the first ended', async () => {
    const listPath = `/api/v1/namespaces/${BULK_NS}/configmaps`;
    const forwardedLists = () =>
      agentLog
        .lines()
        .filter((line) => line.msg === 'request' && line.method === 'GET' && line.path === listPath);
    const forwardedBefore = forwardedLists().length;

    // -v=6: kubectl logs each request's URL, so its paging is visible.
    const result = await kubectl.run(['get', 'configmaps', '-n', BULK_NS, '-o', 'json', '-v=6'], {
      timeoutMs: 60_000,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(50 * 1024 * 1024);
    const names = bulkItems(JSON.parse(result.stdout)).map((item) => item.metadata.name);
    expect(names).toHaveLength(COUNT);
    expect(new Set(names).size).toBe(COUNT);

    const pages = [...result.stderr.matchAll(/url="[^"]*\/configmaps\?([^"]*)"/g)].map(
      (match) => new URLSearchParams(match[1]),
    );
    expect(pages.map((query) => query.get('limit'))).toEqual(['500', '500']);
    expect(pages[0]!.has('continue')).toBe(false);
    expect(pages[1]!.get('continue')).toBeTruthy();
    // Both went all the way through the chain to the apiserver, as two requests.
    expect(
      forwardedLists()
        .slice(forwardedBefore)
        .map((line) => line.status),
    ).toEqual([200, 200]);
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
