/** The app contract's requests name clusters as the relay does, and resource types as kubectl does. */
import { describe, expect, it } from 'vitest';
import { appRequestSchemas } from '../../src/app/app-contract.js';

describe('app requests', () => {
  it.each(['prod', 'eu-west-1', 'a'])('take the cluster name %j the relay takes', (cluster) => {
    expect(appRequestSchemas.watchResources.safeParse({ cluster, kind: 'pods' }).success).toBe(true);
  });

  it.each(['', 'Prod', 'prod_1', '-prod', 'prod-', 'a'.repeat(64)])(
    'refuse %j, which the relay cannot name a cluster',
    (cluster) => {
      const parsed = appRequestSchemas.getResourceYaml.safeParse({ cluster, kind: 'pods', name: 'web' });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['cluster']);
    },
  );

  it.each(['pods', 'deployments.apps', 'certificates.cert-manager.io', 'widgets.example.com'])(
    'take the resource type id %j',
    (kind) => {
      expect(appRequestSchemas.watchResources.safeParse({ cluster: 'prod', kind }).success).toBe(true);
    },
  );

  it.each(['', 'Pods', 'Deployment.apps', 'pods/log', '../secrets', 'pods.', '.apps', 'a'.repeat(254)])(
    'refuse %j, which is no resource type id',
    (kind) => {
      const parsed = appRequestSchemas.deleteResource.safeParse({ cluster: 'prod', kind, name: 'web' });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['kind']);
    },
  );
});
