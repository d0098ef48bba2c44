/**
 * Registry calls made at one moment from several processes, as replicas of a fleet (or the relay
 * and the operator CLI) make them: what a store promises under concurrency holds only if it holds
 * between processes, each with connections of its own.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const DRIVER = fileURLToPath(new URL('./registry-driver.mjs', import.meta.url));
const OPEN_REGISTRY = fileURLToPath(new URL('../../dist/registry/open-registry.js', import.meta.url));

/** Where a registry is, as `openRegistry` takes it. */
export type RegistryLocation = { dataDir: string } | { database: string };

export type DriverOutcome = { ok: true; value: unknown } | { ok: false; name: string; message: string };

/** A registry method and its arguments, e.g. `['redeemJoinToken', hash, credential, now]`. */
export type RegistryCall = [method: string, ...args: unknown[]];

/**
 * Makes each call from a process of its own: every process opens the registry first, then all call
 * together. Resolves with the outcomes in the order of the calls.
 */
export async function callFromProcesses(
  location: RegistryLocation,
  calls: RegistryCall[],
): Promise<DriverOutcome[]> {
  if (!existsSync(OPEN_REGISTRY)) throw new Error(`${OPEN_REGISTRY} is missing: build first (npm run build)`);
  const drivers = calls.map(([method, ...args]) => startDriver(location, method, args));
  try {
    await Promise.all(drivers.map((driver) => driver.ready));
    for (const driver of drivers) driver.go();
    return await Promise.all(drivers.map((driver) => driver.outcome));
  } finally {
    for (const driver of drivers) driver.kill();
  }
}

function startDriver(location: RegistryLocation, method: string, args: unknown[]) {
  const child = spawn(process.execPath, [DRIVER, method, JSON.stringify(args, taggedDates)], {
    env: { PATH: process.env.PATH, SWITCHBOARD_TEST_REGISTRY: JSON.stringify(location) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (text) => {
    lines.push(text);
    for (const wake of waiters.splice(0)) wake();
  });
  // 'close' comes after the process exited and its output was read to the end.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const line = (index: number, what: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const text = lines[index];
        if (text === undefined) waiters.push(check);
        else resolve(text);
      };
      check();
      void closed.then(() => reject(new Error(`the registry driver exited before ${what}:\n${stderr}`)));
    });
  return {
    ready: line(0, 'it was ready').then((text) => {
      if (text !== 'ready')
        throw new Error(`the registry driver said "${text}" instead of ready:\n${stderr}`);
    }),
    go: () => child.stdin.end('go\n'),
    outcome: line(1, 'it answered').then((text) => JSON.parse(text) as DriverOutcome),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

function taggedDates(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? { $date: raw.toISOString() } : value;
}
