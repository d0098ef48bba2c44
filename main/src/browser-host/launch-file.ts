/**
 * How `switchboard ui` hands the browser its one-time URL without putting the secret on any
 * command line (`ps` shows every process's arguments to every local user): a small page that
 * redirects to the URL, in a fresh private directory (0700) as a private file (0600), and the
 * browser is given that file's path. Jupyter opens its notebooks the same way. The directory goes
 * as soon as the secret was used, or when the UI stops.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { escapeHtml } from '../core/sign-in/loopback-callback-server.js';

export interface LaunchFile {
  /** `file:///…/open.html`: what goes to the browser's command line. Holds nothing secret. */
  url: string;
  remove(): Promise<void>;
}

/** Writes the redirect page for `target` under `parent` (created 0700 if missing). */
export async function writeLaunchFile(parent: string, target: string): Promise<LaunchFile> {
  await mkdir(parent, { recursive: true, mode: 0o700 });
  const directory = await mkdtemp(join(parent, 'ui-launch-'));
  const file = join(directory, 'open.html');
  const href = escapeHtml(target);
  await writeFile(
    file,
    '<!doctype html>\n<html><head><meta charset="utf-8">' +
      `<meta http-equiv="refresh" content="0;url=${href}">` +
      '<meta name="referrer" content="no-referrer"><title>Opening Switchboard…</title></head>\n' +
      `<body><p>Opening <a href="${href}">Switchboard</a>…</p></body></html>\n`,
    { mode: 0o600, flag: 'wx' },
  );
  return {
    url: pathToFileURL(file).href,
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}
