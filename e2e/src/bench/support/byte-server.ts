/**
 * A tiny HTTPS "apiserver" the benchmarks control: `GET /bytes?n=N` streams N bytes (64 KiB
 * chunks, honouring backpressure); `GET /small` answers a ~300-byte JSON object like a small GET.
 */
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCertificateAuthority } from '@switchboard/kube-sim/pki';
import { stringify } from 'yaml';

export interface ByteServer {
  url: string;
  port: number;
  caPem: string;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 0x61);
const SMALL = JSON.stringify({
  kind: 'Namespace',
  apiVersion: 'v1',
  metadata: { name: 'default', uid: '2f1d6e1c-0000-4000-8000-000000000000', resourceVersion: '1' },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
});

/** Listens on `host` (loopback by default); its certificate names it, 127.0.0.1 and localhost. */
export async function startByteServer(host = '127.0.0.1'): Promise<ByteServer> {
  const ca = await createCertificateAuthority('bench-bytes-ca');
  const serving = await ca.issue({
    commonName: 'bytes',
    serverNames: [...new Set([host, '127.0.0.1', 'localhost'])],
  });
  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://x');
    if (url.pathname === '/small') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(SMALL) });
      res.end(SMALL);
      return;
    }
    if (url.pathname !== '/bytes') {
      res.writeHead(404).end();
      return;
    }
    const total = Number(url.searchParams.get('n') ?? 0);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
    let left = total;
    const pump = () => {
      while (left > 0) {
        const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
        left -= chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    res.on('close', () => {
      left = 0;
    });
    pump();
  });
  server.listen(0, host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${host}:${port}`,
    port,
    caPem: ca.certPem,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A kubeconfig that points the agent at the byte server (it needs no credentials). */
export async function writeUpstreamKubeconfig(
  path: string,
  upstream: Pick<ByteServer, 'url' | 'caPem'>,
): Promise<void> {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'bytes',
        cluster: {
          server: upstream.url,
          'certificate-authority-data': Buffer.from(upstream.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: 'none', user: {} }],
    contexts: [{ name: 'bytes', context: { cluster: 'bytes', user: 'none' } }],
    'current-context': 'bytes',
  };
  await writeFile(path, stringify(config), { mode: 0o600 });
}
