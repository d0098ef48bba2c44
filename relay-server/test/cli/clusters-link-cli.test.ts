import { parseDeepLink } from '@switchboard/contract/app';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/relay-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('switchboard-relay clusters link', () => {
  it('prints the deep link that opens a cluster in the desktop app, for registered clusters only', async () => {
    const data = await tempDir();
    await runCli(['clusters', 'create', 'edge-1', '--data', data]);
    const printed = await runCli(['clusters', 'link', 'edge-1', '--data', data]);
    expect(printed.code).toBe(0);
    expect(printed.stdout.trim()).toBe('switchboard://cluster/edge-1');
    expect(parseDeepLink(printed.stdout.trim())).toEqual({ kind: 'cluster', cluster: 'edge-1' });

    const unknown = await runCli(['clusters', 'link', 'edge-2', '--data', data]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('no cluster named "edge-2"');
    const noName = await runCli(['clusters', 'link', '--data', data]);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('clusters link takes exactly one cluster NAME');
  });
});
