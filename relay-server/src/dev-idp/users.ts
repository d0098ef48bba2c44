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
 * ```
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { DevIdpUser } from './types.js';

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

// Strict objects, so a misspelt field (`group:`) is an error instead of a silently missing claim.
const userSchema = z.strictObject({
  username: z.string().trim().min(1),
  password: z.string().min(1),
  email: z.email().optional(),
  name: z.string().min(1).optional(),
  groups: z.array(z.string().trim().min(1)).default([]),
});

const usersFileSchema = z
  .strictObject({ users: z.array(userSchema).min(1) })
  .superRefine(({ users }, ctx) => {
    const seen = new Set<string>();
    users.forEach((user, index) => {
      if (seen.has(user.username)) {
        ctx.addIssue({
          code: 'custom',
          path: ['users', index, 'username'],
          message: `duplicate username "${user.username}"`,
        });
      }
      seen.add(user.username);
    });
  });

/** `users[1].password`, the way the field is written in YAML terms. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, key) => {
    if (typeof key === 'number') return `${name}[${key}]`;
    return name ? `${name}.${String(key)}` : String(key);
  }, '');
}

/**
 * Reads and validates a users file. Errors name the file and every offending field
 * (`users.yaml: users[1].password: …`); no field value is echoed, so passwords stay out of logs.
 */
export async function loadDevIdpUsers(file: string): Promise<DevIdpUser[]> {
  const text = await readFile(file, 'utf8');
  const document = parseDocument(text);
  const [yamlError] = document.errors;
  if (yamlError) throw new Error(`${file}: not valid YAML: ${yamlError.message}`);

  const result = usersFileSchema.safeParse(document.toJS());
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${fieldName(issue.path) || '(top level)'}: ${issue.message}`,
    );
    throw new Error(`${file}: invalid dev-idp users file:\n  ${problems.join('\n  ')}`);
  }
  return result.data.users;
}
