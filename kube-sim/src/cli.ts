#!/usr/bin/env node
/**
 * `kube-sim --listen 127.0.0.1:PORT --kubeconfig FILE [--scenario NAME]`: serves until SIGINT or
 * SIGTERM and prints `ready <url>` once it accepts requests.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { startKubeSim, writeKubeconfig } from './index.js';
import { SCENARIOS } from './scenarios/index.js';

const USAGE = `usage: kube-sim --listen HOST:PORT --kubeconfig FILE [--scenario ${SCENARIOS.join('|')}] [--users FILE] [--extra-pods N]

  --listen HOST:PORT   address to serve on (PORT 0 picks a free port); loopback by default
  --kubeconfig FILE    where to write the admin kubeconfig (mode 0600)
  --scenario NAME      what the cluster holds at start (default: empty)
  --users FILE         YAML list of bearer-token users: [{ username, token, groups }]
  --extra-pods N       add N running pods in namespace "load" (scale tests)`;

const usersFileSchema = z.array(
  z.object({
    username: z.string().min(1),
    token: z.string().min(16, 'tokens must be at least 16 characters'),
    uid: z.string().optional(),
    groups: z.array(z.string()).default([]),
  }),
);

function fail(message: string): never {
  process.stderr.write(`kube-sim: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        listen: { type: 'string', default: '127.0.0.1:0' },
        kubeconfig: { type: 'string' },
        scenario: { type: 'string', default: 'empty' },
        users: { type: 'string' },
        'extra-pods': { type: 'string', default: '0' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const listen = String(values.listen);
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(listen);
  if (!match) fail(`--listen must be HOST:PORT, got "${listen}"`);
  const host = match[1]!.replace(/^\[|\]$/g, '');
  const port = Number(match[2]);
  if (port > 65535) fail(`--listen port must be 0-65535, got ${port}`);
  if (!values.kubeconfig) fail('--kubeconfig FILE is required');
  const scenario = String(values.scenario);
  if (!(SCENARIOS as readonly string[]).includes(scenario))
    fail(`unknown --scenario "${scenario}"; choose one of: ${SCENARIOS.join(', ')}`);
  const extraPods = Number(values['extra-pods']);
  if (!Number.isInteger(extraPods) || extraPods < 0)
    fail(`--extra-pods must be a whole number, got "${values['extra-pods']}"`);

  let users: z.infer<typeof usersFileSchema> = [];
  if (values.users) {
    const file = String(values.users);
    let parsed: unknown;
    try {
      parsed = parseYaml(await readFile(file, 'utf8'));
    } catch (error) {
      fail(`cannot read --users ${file}: ${(error as Error).message}`);
    }
    const result = usersFileSchema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      fail(`--users ${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    }
    users = result.data;
  }

  const sim = await startKubeSim({
    host,
    port,
    scenario: scenario as (typeof SCENARIOS)[number],
    users,
    extraPods,
  });
  await writeKubeconfig(String(values.kubeconfig), sim.adminKubeconfig);
  process.stdout.write(`ready ${sim.url}\n`);

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error) => {
  process.stderr.write(`kube-sim: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
