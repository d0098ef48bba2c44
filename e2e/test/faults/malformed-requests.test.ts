/**
 * No request ends a process: relay, agent and `switchboard proxy` as real processes (as in the
 * demo, where one uncaught exception took down all three), each sent the inputs that once threw
 * out of a request or upgrade handler: malformed percent-escapes (`/clusters/%E0%A4%A/api`),
 * escapes of invalid UTF-8, targets `new URL` cannot parse, odd header bytes; on plain requests
 * and on upgrades. Every one gets an HTTP answer, every process keeps running, and kubectl still
 * works through the chain afterwards.
 */
import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { exchange } from '@switchboard/test-support/raw-exchange';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_CLI } from '../support/entry-points.js';
import { Chain, proxyCredentials } from './support/chain.js';
import type { Child } from './support/processes.js';

const UPGRADE_HEADERS =
  'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
  `Sec-WebSocket-Key: ${Buffer.alloc(16).toString('base64')}\r\n`;

/** Request heads that once threw, each sent as a plain request and as an upgrade. */
function attempts(host: string, paths: string[], extraHeaders = ''): string[] {
  const heads: string[] = [];
  for (const path of paths) {
    const start = `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${extraHeaders}`;
    heads.push(`${start}Connection: close\r\n\r\n`, `${start}${UPGRADE_HEADERS}\r\n`);
  }
  heads.push(
    `GET / HTTP/1.1\r\nHost: ${host}\r\n${extraHeaders}X-Odd: \xff\xfe\x80\r\nConnection: close\r\n\r\n`,
  );
  return heads;
}

const THROWING_PATHS = (prefix: string) => [
  `${prefix}/%E0%A4%A`,
  `${prefix}/%E0%A4%A/api`,
  `${prefix}/%FF%FE/api`,
  `${prefix}/%C0%AF/api`,
  `${prefix}/%`,
  '//a:b',
  '//[',
];

describe.skipIf(!requireKubectl(33))('malformed requests against real processes', { timeout: 90_000 }, () => {
  const chain = new Chain();
  let agent: Child;
  let healthAddress: string;

  beforeAll(async () => {
    await chain.start();
    // The agent again, now with its probe endpoint (its stored credential; no join token).
    await chain.agent.stop('SIGTERM', 10_000);
    agent = chain.processes.start(
      'agent-with-probes',
      process.execPath,
      [AGENT_CLI, '--relay', chain.relayUrl, '--kubeconfig', chain.adminKubeconfig],
      chain.env({
        SWITCHBOARD_STATE_DIR: `${chain.dir}/agent-state`,
        SWITCHBOARD_HEALTH_LISTEN: '127.0.0.1:0',
      }),
    );
    healthAddress = (
      await agent.waitFor(/"address":"([^"]+)","msg":"serving health probes/, { stream: 'stderr' })
    )[1]!;
    await agent.waitFor(/"msg":"connected to the relay"/, { stream: 'stderr' });
    await chain.kubectlUntil(['get', 'pods', '-n', 'default'], (r) => r.code === 0);
  }, 90_000);
  afterAll(async () => {
    await chain.close();
  });

  const alive = () => {
    expect(chain.relay.running, 'relay').toBe(true);
    expect(agent.running, 'agent').toBe(true);
    expect(chain.proxy.child.running, 'proxy').toBe(true);
  };

  it('switchboard proxy: answers 400/404 on requests and upgrades, and serves on', async () => {
    const { token, ca } = await proxyCredentials(chain.proxy.kubeconfig);
    const host = `127.0.0.1:${chain.proxy.port}`;
    for (const head of attempts(host, THROWING_PATHS('/clusters'), `Authorization: Bearer ${token}\r\n`)) {
      const socket = connectTls({ host: '127.0.0.1', port: chain.proxy.port, ca, servername: 'localhost' });
      expect(await exchange(socket, head), head).toMatch(/^HTTP\/1\.1 (400|404) /);
    }
    alive();
    const after = await chain.kubectl(['get', 'pods', '-n', 'default']);
    expect(after.code, after.stderr).toBe(0);
  });

  it('the relay: its API, the dev identity provider and the tunnel upgrade answer, and it serves on', async () => {
    const host = `127.0.0.1:${chain.relayPort}`;
    const paths = [
      ...THROWING_PATHS('/api/v1/clusters'),
      '/api/v1/clusters/%E0%A4%A/grants/user/%FF',
      '/api/v1/tunnel%E0%A4%A',
      '/api/v1/agent/tunnel/%E0%A4%A',
      '/dev-idp/%E0%A4%A',
      '/dev-idp/auth?client_id=%E0%A4%A&redirect_uri=%FF',
      '/dev-idp/.well-known/openid-configuration%E0',
    ];
    for (const head of attempts(host, paths, 'Authorization: Bearer not.a.token\r\n')) {
      const socket = connectTcp(chain.relayPort, '127.0.0.1');
      expect(await exchange(socket, head), head).toMatch(/^HTTP\/1\.1 [45]\d\d /);
    }
    alive();
    const healthz = await exchange(
      connectTcp(chain.relayPort, '127.0.0.1'),
      `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    );
    expect(healthz).toMatch(/^HTTP\/1\.1 200 /);
    const after = await chain.kubectl(['get', 'pods', '-n', 'default']);
    expect(after.code, after.stderr).toBe(0);
  });

  it("the agent's probe endpoint answers, and the agent serves on", async () => {
    const [host, port] = [
      healthAddress.slice(0, healthAddress.lastIndexOf(':')),
      Number(healthAddress.split(':').at(-1)),
    ];
    for (const head of attempts(healthAddress, THROWING_PATHS(''))) {
      if (head.includes('Upgrade: websocket')) continue; // no upgrade handler: Node answers those itself
      expect(await exchange(connectTcp(port, host), head), head).toMatch(/^HTTP\/1\.1 [45]\d\d /);
    }
    const readyz = await exchange(
      connectTcp(port, host),
      `GET /readyz HTTP/1.1\r\nHost: ${healthAddress}\r\nConnection: close\r\n\r\n`,
    );
    expect(readyz).toMatch(/^HTTP\/1\.1 200 /);
    alive();
  });
});
