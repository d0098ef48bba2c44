/** Real kubectl for a fleet client, and the fleet per test file. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kubectl } from '@switchboard/test-support/kubectl';
import { afterAll } from 'vitest';
import type { FleetClient } from '../../src/fleet/fleet.js';

/** kubectl (the one on PATH) for `client`, with a temp HOME removed after the file's tests. */
export async function kubectlFor(client: FleetClient): Promise<Kubectl> {
  const home = await mkdtemp(join(tmpdir(), 'fleet-kubectl-'));
  afterAll(() => rm(home, { recursive: true, force: true }));
  return new Kubectl('kubectl', { PATH: process.env.PATH, HOME: home, KUBECONFIG: client.kubeconfigPath });
}

/** Resolves once `check` holds, polling every 25 ms; the error says what never happened. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A replica's log entries (JSON lines) whose message is `msg` and whose fields include `fields`. */
export function logEntries(
  replica: { output: string },
  msg: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown>[] {
  return replica.output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return {};
      }
    })
    .filter(
      (entry) => entry.msg === msg && Object.entries(fields).every(([key, value]) => entry[key] === value),
    );
}
