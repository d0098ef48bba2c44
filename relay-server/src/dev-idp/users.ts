/**
 * The users file of the dev identity provider, and the demo users used when there is none.
 *
 * ```yaml
 * users:
 *   - username: alice
 *     password: change-me
 *     email: alice@example.com   # optional
 *     name: Alice Example        # optional
 *     groups: [switchboard-admins]
 * servicePrincipals:             # optional: CI clients using the client credentials grant
 *   - clientId: ci-deployer
 *     clientSecret: dev-only-secret-of-32-or-more-chars   # a demo credential in plain text
 *     username: ci-bot           # the name the relay knows the principal by
 *     groups: [ci]
 * ```
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { DevIdpServiceClient, DevIdpUser } from './types.js';

/**
 * Signs in with well-known passwords, so only for demos; the relay prints `DEV_IDP_BANNER`
 * whenever the dev identity provider is on.
 */
export const DEV_IDP_DEMO_USERS: readonly DevIdpUser[] = [
  {
    username: 'alice',
    password: 'alice',
    email: 'alice@example.com',
    name: 'Alice Admin',
    groups: ['switchboard-admins', 'developers'],
  },
  {
    username: 'bob',
    password: 'bob',
    email: 'bob@example.com',
    name: 'Bob Developer',
    groups: ['developers'],
  },
];

/** Shorter client secrets are guessable; this one guards demo relays, but they may be reachable. */
const MIN_CLIENT_SECRET_LENGTH = 32;

const nonEmpty = z.string().trim().min(1, 'must not be empty');

// Strict objects, so a misspelt field (`group:`) is an error instead of a silently missing claim.
const userSchema = z.strictObject({
  username: nonEmpty,
  password: z.string().min(1),
  email: z.email().optional(),
  name: z.string().min(1).optional(),
  groups: z.array(nonEmpty).default([]),
});

const servicePrincipalSchema = z.strictObject({
  clientId: nonEmpty,
  clientSecret: z
    .string({ error: (issue) => (issue.input === undefined ? 'required' : 'must be a string') })
    .min(MIN_CLIENT_SECRET_LENGTH, `must be at least ${MIN_CLIENT_SECRET_LENGTH} characters`),
  username: nonEmpty,
  groups: z.array(nonEmpty).default([]),
});

/**
 * Adds an issue at `<list>[i].<field>` for every value already in `seen` (which it fills), so a
 * repeat is reported where it is written.
 */
function reportRepeats(
  ctx: z.RefinementCtx,
  list: string,
  field: string,
  values: readonly string[],
  seen: Set<string>,
  what: string,
): void {
  values.forEach((value, index) => {
    if (seen.has(value)) {
      ctx.addIssue({ code: 'custom', path: [list, index, field], message: `duplicate ${what} "${value}"` });
    }
    seen.add(value);
  });
}

function usersFileSchema(publicClientId: string | undefined) {
  return z
    .strictObject({
      users: z.array(userSchema).min(1, 'must list at least one user'),
      servicePrincipals: z.array(servicePrincipalSchema).default([]),
    })
    .superRefine(({ users, servicePrincipals }, ctx) => {
      // One namespace of usernames: a principal acting as a person would hold that person's grants.
      const usernames = new Set<string>();
      reportRepeats(
        ctx,
        'users',
        'username',
        users.map((user) => user.username),
        usernames,
        'username',
      );
      const principalNames = servicePrincipals.map((principal) => principal.username);
      reportRepeats(ctx, 'servicePrincipals', 'username', principalNames, usernames, 'username');
      const clientIds = new Set(publicClientId === undefined ? [] : [publicClientId]);
      const principalIds = servicePrincipals.map((principal) => principal.clientId);
      reportRepeats(ctx, 'servicePrincipals', 'clientId', principalIds, clientIds, 'client id');
    });
}

/** What a users file holds. */
export interface DevIdpUsersFile {
  users: DevIdpUser[];
  servicePrincipals: DevIdpServiceClient[];
}

/** `users[1].password`, the way the field is written in YAML terms. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, key) => {
    if (typeof key === 'number') return `${name}[${key}]`;
    return name ? `${name}.${String(key)}` : String(key);
  }, '');
}

/**
 * Reads and validates a users file. Errors name the file and every offending field
 * (`users.yaml: users[1].password: …`); no password or client secret is echoed, so they stay out
 * of logs. `publicClientId`, when given, may not be taken by a service principal.
 */
export async function loadDevIdpUsersFile(
  file: string,
  options: { publicClientId?: string } = {},
): Promise<DevIdpUsersFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot read the dev-idp users file: ${(error as Error).message}`);
  }
  const document = parseDocument(text);
  const [yamlError] = document.errors;
  if (yamlError) throw new Error(`${file}: not valid YAML: ${yamlError.message}`);

  const result = usersFileSchema(options.publicClientId).safeParse(document.toJS());
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${fieldName(issue.path) || '(top level)'}: ${issueMessage(issue)}`,
    );
    throw new Error(`${file}: invalid dev-idp users file:\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  return issue.code === 'unrecognized_keys'
    ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
    : issue.message;
}
