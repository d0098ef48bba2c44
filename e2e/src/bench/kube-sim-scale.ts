#!/usr/bin/env node
/**
 * kube-sim at 10,000 pods: full LIST (JSON and Table), paged LIST, and watch event delivery.
 * Each figure is printed beside a baseline measured in the same run: a plain Node HTTPS server
 * answering the same bytes kube-sim produced, i.e. the floor for moving that response on loopback.
 */
import { once } from 'node:events';
import { Agent, createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { startKubeSim } from '@switchboard/kube-sim';
import { createCertificateAuthority } from '@switchboard/kube-sim/pki';
import { parse } from 'yaml';

const PODS = 10_000;
const ROUNDS = 5;

interface Client {
  get(path: string, accept?: string): Promise<{ status: number; body: Buffer }>;
}

function client(url: string, ca: string, cert?: string, key?: string): Client {
  const agent = new Agent({ keepAlive: true, ca, cert, key });
  return {
    get(path, accept = 'application/json') {
      return new Promise((resolve, reject) => {
        const req = request(new URL(path, url), { agent, headers: { accept } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end();
      });
    },
  };
}

async function median(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function main(): Promise<void> {
  const sim = await startKubeSim({ scenario: 'empty', extraPods: PODS });
  const kubeconfig = parse(sim.adminKubeconfig);
  const user = kubeconfig.users[0].user;
  const cert = Buffer.from(user['client-certificate-data'], 'base64').toString();
  const key = Buffer.from(user['client-key-data'], 'base64').toString();
  const kube = client(sim.url, sim.caPem, cert, key);

  const table = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
  const listJson = (await kube.get('/api/v1/namespaces/load/pods')).body;
  const listTable = (await kube.get('/api/v1/namespaces/load/pods', table)).body;
  const items = JSON.parse(listJson.toString()).items.length;
  if (items !== PODS) throw new Error(`expected ${PODS} pods, listed ${items}`);

  // Baseline: the same bytes from a server that does nothing but send them.
  const baselineCA = await createCertificateAuthority('bench-ca');
  const serving = await baselineCA.issue({ commonName: 'bench', serverNames: ['127.0.0.1'] });
  const baseline = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    const body = req.headers.accept === table ? listTable : listJson;
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
  baseline.listen(0, '127.0.0.1');
  await once(baseline, 'listening');
  const plain = client(`https://127.0.0.1:${(baseline.address() as AddressInfo).port}`, baselineCA.certPem);

  const rows: [string, number, number][] = [];
  rows.push([
    `LIST ${PODS} pods (JSON, ${(listJson.length / 1e6).toFixed(1)} MB)`,
    await median(() => kube.get('/api/v1/namespaces/load/pods')),
    await median(() => plain.get('/')),
  ]);
  rows.push([
    `LIST ${PODS} pods (Table, ${(listTable.length / 1e6).toFixed(1)} MB)`,
    await median(() => kube.get('/api/v1/namespaces/load/pods', table)),
    await median(() => plain.get('/', table)),
  ]);
  rows.push([
    `LIST ${PODS} pods in pages of 500 (vs one LIST)`,
    await median(async () => {
      let token = '';
      do {
        const page = JSON.parse(
          (
            await kube.get(
              `/api/v1/namespaces/load/pods?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
            )
          ).body.toString(),
        );
        token = page.metadata.continue ?? '';
      } while (token);
    }),
    await median(() => plain.get('/')),
  ]);

  process.stdout.write(
    'kube-sim scale benchmark (median of 5, loopback; baseline = same bytes from a bare Node HTTPS server)\n',
  );
  for (const [name, ms, base] of rows) {
    process.stdout.write(
      `  ${name.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms   baseline ${base.toFixed(1).padStart(7)} ms   ratio ${(ms / base).toFixed(2)}x\n`,
    );
  }
  baseline.close();
  await sim.close();
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).stack}\n`);
  process.exit(1);
});
