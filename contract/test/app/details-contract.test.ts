/** The details' requests: the core refuses what the renderer may not ask for before acting. */
import { describe, expect, it } from 'vitest';
import { appRequestSchemas, MAX_APPLY_YAML_CHARS } from '../../src/app/app-contract.js';

const object = { cluster: 'prod', kind: 'deployments', namespace: 'shop', name: 'web' } as const;

describe('details requests', () => {
  it('bound the YAML an apply may send, and want force said', () => {
    const apply = appRequestSchemas.applyResourceYaml;
    expect(apply.safeParse({ ...object, yaml: 'kind: Deployment', force: false }).success).toBe(true);
    expect(
      apply.safeParse({ ...object, yaml: 'x'.repeat(MAX_APPLY_YAML_CHARS + 1), force: false }).success,
    ).toBe(false);
    expect(apply.safeParse({ ...object, yaml: '', force: false }).success).toBe(false);
    expect(apply.safeParse({ ...object, yaml: 'kind: Deployment' }).success).toBe(false);
  });

  it('scale to a whole number of replicas between 0 and 10,000', () => {
    const scale = appRequestSchemas.scaleResource;
    for (const replicas of [0, 3, 10_000])
      expect(scale.safeParse({ ...object, replicas }).success).toBe(true);
    for (const replicas of [-1, 1.5, 10_001, '3'])
      expect(scale.safeParse({ ...object, replicas }).success).toBe(false);
  });

  it('take only the fields they name (a drain names a node, not a kind)', () => {
    expect(appRequestSchemas.drainNode.safeParse({ cluster: 'prod', name: 'node-1' }).success).toBe(true);
    expect(
      appRequestSchemas.drainNode.safeParse({ cluster: 'prod', name: 'node-1', kind: 'nodes' }).success,
    ).toBe(false);
    expect(appRequestSchemas.accessReview.safeParse({ ...object, verb: 'delete' }).success).toBe(false);
  });
});
