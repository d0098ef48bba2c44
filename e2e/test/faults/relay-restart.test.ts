/**
 * Relay restarts through the whole chain (real processes, real kubectl 1.33): a graceful SIGTERM
 * (GOAWAY drain) during `kubectl get pods -w`, and a kill -9 (no GOAWAY). The relay comes back on
 * the same port with the same data directory; the agent and the proxy reconnect by themselves.
 */

import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chain, RECONNECT_CAP_MS } from './support/chain.js';

const TUNNEL_UP = /"msg":"relay tunnel up"/;
const AGENT_CONNECTED = /"msg":"connected to the relay"/;

describe.skipIf(!requireKubectl(33))('relay restarts', { timeout: 60_000 }, () => {
  const chain = new Chain();

  beforeAll(async () => {
    await chain.start();
  }, 60_000);
  afterAll(async () => {
    await chain.close();
  });

  it('kill -9 (no GOAWAY): while down kubectl gets 503 "relay unreachable"; after the restart requests work within the backoff bound', async () => {
    await chain.kubectl(['run', 'before-kill', '--image=nginx'], { check: true });
    const agentSessions = chain.agent.countStderr(AGENT_CONNECTED);
    const agentLogBefore = chain.agent.stderr.length;
    chain.relay.kill('SIGKILL');
    expect((await chain.relay.exited).signal).toBe('SIGKILL');

    const down = await chain.kubectlUntil(
      ['get', 'pods', '-n', 'default', '-o', 'name'],
      (r) => r.code !== 0,
    );
    expect(down.result.stderr).toContain(
      `Warning: Switchboard: the Switchboard relay ${chain.relayUrl} is unreachable (`,
    );
    expect(down.result.stderr).toContain('the local proxy keeps retrying');
    expect(down.result.stderr).toMatch(/^Error from server \(ServiceUnavailable\)/m);

    await chain.startRelay();
    const back = Date.now();
    const { result, attempts, seen } = await chain.kubectlUntil(
      ['get', 'pods', '-n', 'default', '-o', 'name'],
      (r) => r.code === 0,
      { timeoutMs: 30_000 },
    );
    const recoveredMs = Date.now() - back;
    expect(result.stdout).toContain('pod/before-kill');
    expect(chain.agent.countStderr(AGENT_CONNECTED)).toBeGreaterThan(agentSessions);
    // The backoff bound, from what the agent did rather than from the clock (which on a loaded
    // machine measures the load): every wait before a redial was at most the cap, where the
    // uncapped backoff would have reached seconds.
    const waits = chain.agent.stderr
      .slice(agentLogBefore)
      .split('\n')
      .filter((line) => line.includes('"retryInMs"'))
      .map((line) => (JSON.parse(line) as { retryInMs: number }).retryInMs);
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeLessThanOrEqual(RECONNECT_CAP_MS);
    console.info(
      `relay kill -9: requests work again ${recoveredMs} ms after the restart (${attempts} kubectl runs)`,
      seen,
    );
  });

  it('SIGTERM during a watch: kubectl get -w ends quietly (exit 0) at the drain; a rerun works and sees a new pod', async () => {
    await chain.kubectl(['run', 'before-restart', '--image=nginx'], { check: true });
    const watch = chain.kubectlStream([
      'get',
      'pods',
      '-n',
      'default',
      '-w',
      '--request-timeout=0',
      '-o',
      'name',
    ]);
    await watch.waitFor(/pod\/before-restart/);
    const agentSessions = chain.agent.countStderr(AGENT_CONNECTED);
    const proxySessions = chain.proxy.child.countStderr(TUNNEL_UP);

    const stopping = Date.now();
    chain.relay.kill('SIGTERM');
    const relayExit = await chain.relay.exited;
    const drainMs = Date.now() - stopping;
    expect(relayExit.code).toBe(0);
    // The watch stream kept the sessions draining until the relay's 5 s drain limit cut it.
    expect(drainMs).toBeGreaterThanOrEqual(4_500);
    // The real behaviour: kubectl's watch does not survive the relay; it ends when the relay closes
    // the drained stream, exit code 0 and nothing on stderr (client-go treats the end of a watch
    // response as the end of the watch; `get -w` does not re-establish it).
    const watchExit = await watch.exited;
    expect(watchExit).toEqual({ code: 0, signal: null });
    expect(watch.stderr).toBe('');
    expect(watch.stdout.trim().split('\n')).toEqual(['pod/before-kill', 'pod/before-restart']);
    // Both peers were told (GOAWAY) before the relay went away.
    expect(chain.proxy.child.stderr).toContain('relay sent GOAWAY: relay shutting down');
    expect(chain.agent.stderr).toContain('the relay is draining this session');

    await chain.startRelay();
    await chain.agent.until(
      () => (chain.agent.countStderr(AGENT_CONNECTED) > agentSessions ? true : undefined),
      'agent reconnect',
    );
    await chain.proxy.child.until(
      () => (chain.proxy.child.countStderr(TUNNEL_UP) > proxySessions ? true : undefined),
      'proxy reconnect',
    );
    // The restarted dev-idp signs with new keys: the proxy's token was refused once and renewed.
    expect(chain.proxy.child.stderr).toContain('the relay refused the token; renewing it');

    const rerun = chain.kubectlStream([
      'get',
      'pods',
      '-n',
      'default',
      '-w',
      '--request-timeout=0',
      '-o',
      'name',
    ]);
    await rerun.waitFor(/pod\/before-restart/);
    await chain.kubectl(['run', 'after-restart', '--image=nginx'], { check: true });
    await rerun.waitFor(/pod\/after-restart/);
    rerun.kill('SIGTERM');
    await rerun.exited;
  });
});
