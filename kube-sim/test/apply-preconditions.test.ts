import type { Kubectl } from '@switchboard/test-support/kubectl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, startKubeSim } from '../src/index.js';
import { type AdminKubectl, adminKubectl } from './support/admin-kubectl.js';

const STALE =
  'error: Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again';

describe('server-side apply with a resourceVersion', () => {
  let admin: AdminKubectl;
  let sim: KubeSim;
  let kubectl: Kubectl;

  beforeAll(async () => {
    sim = await startKubeSim({ scenario: 'empty', podStartDelayMs: 0 });
    admin = await adminKubectl(sim);
    kubectl = admin.kubectl;
  });
  afterAll(async () => {
    await sim?.close();
    await admin?.dispose();
  });

  const configMap = (resourceVersion: string, theme: string) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default', resourceVersion },
      data: { theme },
    });
  const apply = (body: string, ...flags: string[]) =>
    kubectl.run(['apply', '--server-side', '--field-manager=editor', ...flags, '-f', '-'], { input: body });

  it('applies when it is current, and refuses with 409 once the object moved on, force or not', async () => {
    await kubectl.ok(['create', 'configmap', 'settings', '--from-literal=theme=light']);
    const opened = await kubectl.ok([
      'get',
      'configmap',
      'settings',
      '-o',
      'jsonpath={.metadata.resourceVersion}',
    ]);

    const applied = await apply(configMap(opened, 'dark'), '--force-conflicts');
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe('configmap/settings serverside-applied\n');

    // The object is now newer than what was opened.
    const stale = await apply(configMap(opened, 'blue'), '--force-conflicts');
    expect(stale.code).toBe(1);
    // kubectl follows any 409 with its advice on field conflicts.
    expect(stale.stderr.split('\n')[0]).toBe(STALE);
    expect(await kubectl.ok(['get', 'configmap', 'settings', '-o', 'jsonpath={.data.theme}'])).toBe('dark');
  });

  it('without force, a field another manager owns is a conflict before the precondition is looked at', async () => {
    const current = await kubectl.ok([
      'get',
      'configmap',
      'settings',
      '-o',
      'jsonpath={.metadata.resourceVersion}',
    ]);
    const conflict = await kubectl.run(['apply', '--server-side', '--field-manager=other', '-f', '-'], {
      input: configMap(current, 'green'),
    });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "editor": .data.theme');
  });
});
