/**
 * Database and Redis URLs may carry a password, in the userinfo (`postgres://user:secret@host`) or,
 * for Postgres, as libpq's `password` query parameter. Such a URL is refused where any local user
 * could read it (a command line), and shown only without the password (logs, messages, commands
 * printed for an operator).
 */

/** Whether the URL holds a password anywhere. */
export function carriesPassword(url: URL): boolean {
  return url.password !== '' || url.searchParams.has('password');
}

/** The URL with any password taken out; text that is not a URL is replaced whole, since it may hold one. */
export function redactedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return '(not a URL)';
  }
  url.password = '';
  url.searchParams.delete('password');
  return url.href;
}
