/** `switchboard-relay access grant|revoke|list`: who may reach which cluster, from the server. */
import { parseArgs } from 'node:util';
import type { SubjectKind } from '@switchboard/contract/relay-api';
import { formatTable, outputFormat, usageErrors } from './arguments.js';
import { UsageError } from './cli-error.js';
import { REGISTRY_OPTIONS, REGISTRY_USAGE, withOperatorSession } from './operator-session.js';

export const ACCESS_USAGE = `usage:
  switchboard-relay access grant --cluster NAME (--user USER | --group GROUP) --role connect|admin REGISTRY
  switchboard-relay access revoke --cluster NAME (--user USER | --group GROUP) REGISTRY
  switchboard-relay access list --cluster NAME [--output table|json] REGISTRY

${REGISTRY_USAGE}`;

const SUBJECT_OPTIONS = {
  ...REGISTRY_OPTIONS,
  cluster: { type: 'string' },
  user: { type: 'string' },
  group: { type: 'string' },
} as const;

export async function accessCommand(args: string[], print: (text: string) => void): Promise<void> {
  const [verb, ...rest] = args;
  switch (verb) {
    case 'grant':
      return grant(rest, print);
    case 'revoke':
      return revoke(rest, print);
    case 'list':
      return list(rest, print);
    default:
      throw new UsageError(
        verb === undefined ? 'access needs a subcommand' : `unknown access subcommand "${verb}"`,
      );
  }
}

async function grant(args: string[], print: (text: string) => void): Promise<void> {
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args,
      options: { ...SUBJECT_OPTIONS, role: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  noPositionals(positionals, 'grant');
  const cluster = required(values.cluster, '--cluster NAME');
  const { subjectKind, subject } = subjectOf(values);
  const role = required(values.role, '--role connect|admin');
  const granted = await withOperatorSession(values, (admin, operator) =>
    admin.grant(operator, cluster, { subjectKind, subject, role }),
  );
  print(
    `${granted.subjectKind} "${granted.subject}" now has role ${granted.role} on cluster "${granted.cluster}"`,
  );
}

async function revoke(args: string[], print: (text: string) => void): Promise<void> {
  const { values, positionals } = usageErrors(() =>
    parseArgs({ args, options: SUBJECT_OPTIONS, allowPositionals: true, strict: true }),
  );
  noPositionals(positionals, 'revoke');
  const cluster = required(values.cluster, '--cluster NAME');
  const { subjectKind, subject } = subjectOf(values);
  await withOperatorSession(values, (admin, operator) =>
    admin.revoke(operator, cluster, subjectKind, subject),
  );
  print(`${subjectKind} "${subject}" no longer has access to cluster "${cluster}"`);
}

async function list(args: string[], print: (text: string) => void): Promise<void> {
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args,
      options: {
        ...REGISTRY_OPTIONS,
        cluster: { type: 'string' },
        output: { type: 'string', short: 'o' },
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  noPositionals(positionals, 'list');
  const cluster = required(values.cluster, '--cluster NAME');
  const format = outputFormat(values.output);
  const grants = await withOperatorSession(values, (admin, operator) => admin.listGrants(operator, cluster));
  if (format === 'json') {
    print(JSON.stringify({ items: grants }, null, 2));
    return;
  }
  if (grants.length === 0) {
    print(`nobody has access to cluster "${cluster}"`);
    return;
  }
  print(
    formatTable(
      ['KIND', 'SUBJECT', 'ROLE', 'GRANTED BY', 'GRANTED'],
      grants.map((grant) => [grant.subjectKind, grant.subject, grant.role, grant.createdBy, grant.createdAt]),
    ),
  );
}

function subjectOf(values: { user?: string | undefined; group?: string | undefined }): {
  subjectKind: SubjectKind;
  subject: string;
} {
  if ((values.user === undefined) === (values.group === undefined)) {
    throw new UsageError('name exactly one of --user USER or --group GROUP');
  }
  return values.user !== undefined
    ? { subjectKind: 'user', subject: values.user }
    : { subjectKind: 'group', subject: values.group! };
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  return value;
}

function noPositionals(positionals: string[], verb: string): void {
  if (positionals.length > 0)
    throw new UsageError(`access ${verb} takes no arguments, got "${positionals[0]}"`);
}
