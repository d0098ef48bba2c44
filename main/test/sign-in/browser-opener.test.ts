/**
 * Whether the system browser really opened: `$BROWSER` (how every test and many users choose the
 * browser) that cannot start, or exits with a failure, rejects with why; one that hands the URL over
 * and exits, or keeps running as a browser does, resolves. The app tells the person which happened.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInSystemBrowser } from '../../src/core/sign-in/browser-opener.js';

describe('openInSystemBrowser', () => {
  let scratch: string;
  const script = async (name: string, body: string) => {
    const path = join(scratch, name);
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
    return path;
  };

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'switchboard-browser-opener-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('resolves once the opener handed the URL over and exited successfully', async () => {
    const received = join(scratch, 'received');
    const opener = await script('hands-over.sh', `printf '%s' "$1" > '${received}'`);
    await openInSystemBrowser({ BROWSER: opener })('https://relay.example.com/sign-in?a=1&b=2');
    expect(await readFile(received, 'utf8')).toBe('https://relay.example.com/sign-in?a=1&b=2');
  });

  it('rejects, with the exit code, when the opener found no browser (as xdg-open exits 3)', async () => {
    const opener = await script('no-browser.sh', 'exit 3');
    await expect(openInSystemBrowser({ BROWSER: opener })('https://relay.example.com/')).rejects.toThrow(
      `the browser command (${opener}) failed with exit code 3`,
    );
  });

  it('rejects when the opener does not exist', async () => {
    const missing = join(scratch, 'no-such-browser');
    await expect(openInSystemBrowser({ BROWSER: missing })('https://relay.example.com/')).rejects.toThrow(
      `cannot start the browser (${missing})`,
    );
  });

  it('resolves for a browser that keeps running, once it has run a moment without failing', async () => {
    const pidFile = join(scratch, 'browser.pid');
    const opener = await script('stays-open.sh', `echo $$ > '${pidFile}'\nexec sleep 30`);
    const started = Date.now();
    await openInSystemBrowser({ BROWSER: opener }, 200)('https://relay.example.com/');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    process.kill(Number((await readFile(pidFile, 'utf8')).trim()), 'SIGTERM');
  });
});
