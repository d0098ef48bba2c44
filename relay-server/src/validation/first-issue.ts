import type { z } from 'zod';

/** The first problem zod found, as a dotted field path and a message a person can act on. */
export function describeFirstIssue(error: z.ZodError): { path: string; message: string } {
  const issue = error.issues[0]!;
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
      : issue.message;
  return { path: issue.path.join('.'), message };
}
