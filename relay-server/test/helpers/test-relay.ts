import { onTestFinished } from 'vitest';
import type { RelayConfigInput } from '../../src/config/schema.js';
import { type Relay, startRelay } from '../../src/relay.js';
import { tempDir } from './temp-dir.js';
import { TEST_AUDIENCE } from './test-issuer.js';

export interface TestRelay {
  relay: Relay;
  /** Everything the relay logged, one JSON line per entry. */
  logs: string[];
  /** A fetch against the relay, with `token` as bearer when given. */
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
}

/** A relay in-process on a free loopback port, trusting the given issuer; closed after the test. */
export async function startTestRelay(
  issuerUrl: string,
  overrides: Partial<RelayConfigInput> = {},
): Promise<TestRelay> {
  const logs: string[] = [];
  const relay = await startRelay(
    {
      listen: '127.0.0.1:0',
      dataDir: await tempDir(),
      trust: { issuer: issuerUrl, clientId: TEST_AUDIENCE },
      admins: { users: ['root-admin'], groups: ['relay-admins'] },
      logLevel: 'info',
      ...overrides,
    },
    { logDestination: { write: (line: string) => void logs.push(line) } },
  );
  onTestFinished(() => relay.close());
  return {
    relay,
    logs,
    request: (path, { token, headers, ...init } = {}) =>
      fetch(`${relay.url}${path}`, {
        ...init,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(headers as Record<string, string>),
        },
      }),
  };
}

export function jsonBody(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
