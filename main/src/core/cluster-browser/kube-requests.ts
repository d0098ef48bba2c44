/**
 * Plain JSON requests to a cluster through the local proxy, with the TLS trust and credential of
 * the proxy's kubeconfig (client-node's `KubeConfig`). Objects stay as the apiserver sent them
 * (client-node's typed clients would turn timestamps into Dates and drop unknown fields, which a
 * YAML view must not do). Failures become client-node's `ApiException` with the `Status` body.
 */
import { request } from 'node:https';
import { ApiException, type KubeConfig } from '@kubernetes/client-node';

/** Responses larger than this are refused rather than held in memory. */
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export async function kubeRequest<T>(
  kubeConfig: KubeConfig,
  method: 'GET' | 'DELETE',
  path: string,
  signal?: AbortSignal,
): Promise<T> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(cluster.server + path);
  const options: Parameters<typeof request>[1] = {
    method,
    headers: { accept: 'application/json' },
    ...(signal && { signal }),
  };
  await kubeConfig.applyToHTTPSOptions(options);
  return new Promise<T>((resolve, reject) => {
    const req = request(url, options, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          req.destroy(new Error(`the response to ${method} ${url.pathname} is larger than 256 MiB`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const code = response.statusCode ?? 0;
        if (code >= 200 && code < 300) {
          try {
            resolve(JSON.parse(body) as T);
          } catch {
            reject(new Error(`${method} ${url.pathname}: the cluster answered with invalid JSON`));
          }
          return;
        }
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (typeof value === 'string') headers[name] = value;
        }
        reject(new ApiException(code, `${method} ${url.pathname} answered ${code}`, body, headers));
      });
    });
    req.on('error', reject);
    req.end();
  });
}
