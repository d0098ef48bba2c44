import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/** A fresh directory, removed when the test finishes. */
export async function tempDir(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'switchboard-relay-test-'));
  onTestFinished(() => rm(directory, { recursive: true, force: true }));
  return directory;
}
