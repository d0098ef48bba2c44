/**
 * Subresources that are views of, or actions on, their parent: scale (Deployments, ReplicaSets),
 * binding and eviction (Pods), and token (ServiceAccounts).
 */
import { randomBytes } from 'node:crypto';
import { ApiError, badRequest } from '../api/errors.js';
import { isPlainObject, type KubeObject } from '../api/objects.js';
import type { ResourceType } from '../api/resources.js';
import type { TokenUser } from '../auth/authn.js';
import { timestamp } from '../store/store.js';
import type { ResourceRegistry, WriteOptions } from './registry.js';

export function scaleOf(object: KubeObject): KubeObject {
  const spec = object.spec as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  const status = (object.status ?? {}) as { replicas?: number };
  const selector = Object.entries(spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector },
  };
}

export function writeScale(
  registry: ResourceRegistry,
  type: ResourceType,
  namespace: string,
  name: string,
  scale: KubeObject,
  options: WriteOptions,
): KubeObject {
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new ApiError(
      422,
      'Invalid',
      `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      {
        name,
        group: 'autoscaling',
        kind: 'Scale',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: must be greater than or equal to 0',
            field: 'spec.replicas',
          },
        ],
      },
    );
  }
  const current = registry.get(type, namespace, name);
  const updated = registry.update(
    type,
    namespace,
    name,
    {
      ...current,
      metadata: { ...current.metadata, resourceVersion: scale.metadata?.resourceVersion ?? '' },
      spec: { ...(current.spec as object), replicas },
    },
    '',
    options,
  );
  return scaleOf(updated);
}

export function bindPod(
  registry: ResourceRegistry,
  type: ResourceType,
  namespace: string,
  name: string,
  binding: KubeObject,
): void {
  const target = binding.target as { name?: string; kind?: string } | undefined;
  if (!target?.name) throw badRequest('Binding target must specify a node name');
  const pod = registry.get(type, namespace, name);
  if ((pod.spec as { nodeName?: string }).nodeName) {
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${(pod.spec as { nodeName?: string }).nodeName}"`,
    );
  }
  registry.update(
    type,
    namespace,
    name,
    { ...pod, spec: { ...(pod.spec as object), nodeName: target.name } },
    '',
    { dryRun: false },
  );
}

/** Issues a ServiceAccount token (TokenRequest) that kube-sim's authenticator accepts. */
export function requestToken(
  serviceAccount: KubeObject,
  request: KubeObject,
  register: (user: TokenUser) => void,
  now: Date,
): KubeObject {
  const spec = isPlainObject(request.spec) ? request.spec : {};
  const expirationSeconds = typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : 3600;
  if (expirationSeconds < 600) {
    throw new ApiError(
      422,
      'Invalid',
      `TokenRequest.authentication.k8s.io "${serviceAccount.metadata.name}" is invalid: spec.expirationSeconds: Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes`,
    );
  }
  const namespace = serviceAccount.metadata.namespace!;
  const token = `ksim.${randomBytes(24).toString('base64url')}`;
  register({
    token,
    username: `system:serviceaccount:${namespace}:${serviceAccount.metadata.name}`,
    uid: serviceAccount.metadata.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`],
  });
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: serviceAccount.metadata.name, namespace },
    spec: {
      audiences: spec.audiences ?? ['https://kubernetes.default.svc.cluster.local'],
      expirationSeconds,
      boundObjectRef: spec.boundObjectRef ?? null,
    },
    status: { token, expirationTimestamp: timestamp(new Date(now.getTime() + expirationSeconds * 1000)) },
  };
}
