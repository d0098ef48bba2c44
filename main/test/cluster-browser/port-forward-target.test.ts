import { describe, expect, it } from 'vitest';
import { toAppError } from '../../src/core/app/app-error.js';
import type { KubeObject } from '../../src/core/cluster-browser/kube-object.js';
import { resolveServicePort } from '../../src/core/cluster-browser/port-forward-target.js';

const service = (ports: unknown[]): KubeObject => ({
  metadata: { name: 'web' },
  spec: { selector: { app: 'web' }, ports },
});
const pod = (name: string, ready: boolean, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name, ...extra },
  spec: { containers: [{ name: 'app', ports: [{ containerPort: 8080, name: 'http' }] }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

function failure(run: () => unknown) {
  try {
    run();
  } catch (error) {
    return toAppError(error);
  }
  throw new Error('expected a failure');
}

describe('resolveServicePort: a service port to a pod, as kubectl port-forward svc/… does', () => {
  it('picks the first ready pod by name, skipping unready and terminating ones', () => {
    const pods = [
      pod('web-c', true),
      pod('web-a', false),
      pod('web-b', true, { deletionTimestamp: '2024-01-01T00:00:00Z' }),
    ];
    expect(resolveServicePort(service([{ port: 80, targetPort: 8080 }]), 80, pods)).toEqual({
      pod: 'web-c',
      podPort: 8080,
    });
  });

  it('resolves a named targetPort through the pod’s container ports, and no targetPort as the port itself', () => {
    expect(resolveServicePort(service([{ port: 80, targetPort: 'http' }]), 80, [pod('web-a', true)])).toEqual(
      {
        pod: 'web-a',
        podPort: 8080,
      },
    );
    expect(resolveServicePort(service([{ port: 9000 }]), 9000, [pod('web-a', true)])).toEqual({
      pod: 'web-a',
      podPort: 9000,
    });
  });

  it('says what is wrong: no such port (listing the ones there are), no ready pod, an unknown port name', () => {
    const noPort = failure(() => resolveServicePort(service([{ port: 80 }, { port: 443 }]), 8080, []));
    expect(noPort).toMatchObject({
      kind: 'invalid-request',
      message: 'service web has no TCP port 8080 (its ports: 80, 443)',
    });
    const noPod = failure(() => resolveServicePort(service([{ port: 80 }]), 80, [pod('web-a', false)]));
    expect(noPod.kind).toBe('not-found');
    expect(noPod.message).toMatch(/no ready pod/);
    const badName = failure(() =>
      resolveServicePort(service([{ port: 80, targetPort: 'grpc' }]), 80, [pod('web-a', true)]),
    );
    expect(badName.message).toMatch(/no container port named grpc/);
  });
});
