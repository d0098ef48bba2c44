/**
 * The describe summaries and the apply outcome mapping, on objects and Status bodies shaped as
 * kube-apiserver sends them: what each kind shows, events newest first, and how a 409 (field
 * manager conflict or stale resourceVersion), a 422 and a parse error reach the UI.
 */
import { describe, expect, it } from 'vitest';
import { describedEvents } from '../../src/core/cluster-browser/details/describe-events.js';
import { describeGeneric } from '../../src/core/cluster-browser/details/describe-generic.js';
import { describeNode } from '../../src/core/cluster-browser/details/describe-node.js';
import { describePod } from '../../src/core/cluster-browser/details/describe-pod.js';
import { describeService } from '../../src/core/cluster-browser/details/describe-service.js';
import { applyResultOf, parseEdited } from '../../src/core/cluster-browser/details/resource-apply.js';
import {
  guessPlural,
  locationOfKind,
  typeIdOf,
} from '../../src/core/cluster-browser/details/resource-location.js';
import { KubeApiError } from '../../src/core/cluster-browser/kube-api-error.js';

describe('describe summaries', () => {
  it('a pod: status, node, IP, QoS, init and app containers with their state, conditions and volumes', () => {
    const sections = describePod({
      metadata: { name: 'web-1', namespace: 'shop' },
      spec: {
        nodeName: 'worker-1',
        initContainers: [{ name: 'migrate', image: 'migrate:1' }],
        containers: [{ name: 'web', image: 'nginx:1.27' }],
        volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
      },
      status: {
        phase: 'Running',
        podIP: '10.0.0.7',
        qosClass: 'Burstable',
        initContainerStatuses: [
          {
            name: 'migrate',
            ready: false,
            restartCount: 0,
            state: { terminated: { reason: 'Completed', exitCode: 0 } },
          },
        ],
        containerStatuses: [
          {
            name: 'web',
            ready: true,
            restartCount: 2,
            state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
          },
        ],
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
    expect(sections.map((section) => section.title)).toEqual([
      'Status',
      'Containers',
      'Conditions',
      'Volumes',
    ]);
    expect(sections[0]!.fields!.slice(0, 4)).toEqual([
      { label: 'Status', value: 'Running' },
      { label: 'Node', value: 'worker-1' },
      { label: 'Pod IP', value: '10.0.0.7' },
      { label: 'QoS class', value: 'Burstable' },
    ]);
    expect(sections[1]!.table!.rows).toEqual([
      ['migrate (init)', 'migrate:1', 'Terminated: Completed (exit 0)', 'false', '0'],
      ['web', 'nginx:1.27', 'Running since 2026-01-01T00:00:00Z', 'true', '2'],
    ]);
    expect(sections[3]!.table!.rows).toEqual([['config', 'configMap', 'name: web-config']]);
  });

  it('a node: cordoned and tainted are marked, capacity beside allocatable', () => {
    const [scheduling, , , capacity] = describeNode({
      spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '10.0.0.2' }],
        capacity: { cpu: '4', memory: '16Gi' },
        allocatable: { cpu: '3800m', memory: '15Gi' },
      },
    });
    expect(scheduling!.fields).toEqual([
      { label: 'Unschedulable', value: 'true (cordoned)', tone: 'warning' },
      { label: 'Taints', value: 'dedicated=gpu:NoSchedule', tone: 'warning' },
    ]);
    expect(capacity!.table!.rows).toEqual([
      ['cpu', '4', '3800m'],
      ['memory', '16Gi', '15Gi'],
    ]);
  });

  it('a service: its endpoints from the Endpoints object, and a warning when it lists none', () => {
    const service = {
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.96.0.10',
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      },
    };
    const endpoints = {
      subsets: [{ addresses: [{ ip: '10.0.0.7' }, { ip: '10.0.0.8' }], ports: [{ port: 8080 }] }],
    };
    const [withEndpoints, ports] = describeService(service, endpoints);
    expect(withEndpoints!.fields).toContainEqual({
      label: 'Endpoints',
      value: '10.0.0.7:8080, 10.0.0.8:8080',
    });
    expect(ports!.table!.rows).toEqual([['http', '80', '8080', 'TCP', '']]);
    expect(describeService(service, { subsets: [] })[0]!.fields).toContainEqual({
      label: 'Endpoints',
      value: '<none>',
      tone: 'warning',
    });
    // No Endpoints object to read (none yet, or no right to read it): nothing to warn about.
    expect(describeService(service, undefined)[0]!.fields).toContainEqual({
      label: 'Endpoints',
      value: '<none>',
    });
  });

  it('any other kind: its content and status fields on one line each, long values cut', () => {
    const [content, status] = describeGeneric({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { size: 3, color: 'blue', notes: 'x'.repeat(500) },
      status: { phase: 'Ready', conditions: [] },
    });
    expect(content!.fields!.slice(0, 2)).toEqual([
      { label: 'size', value: '3' },
      { label: 'color', value: 'blue' },
    ]);
    expect(content!.fields![2]!.value).toHaveLength(200);
    expect(status!.fields).toEqual([{ label: 'phase', value: 'Ready' }]);
  });

  it('events newest first, by lastTimestamp, else eventTime, with the count of repeats', () => {
    const events = describedEvents([
      {
        type: 'Normal',
        reason: 'Scheduled',
        message: 'a',
        lastTimestamp: '2026-01-01T00:00:01Z',
        source: { component: 'scheduler' },
      },
      { type: 'Warning', reason: 'BackOff', message: 'b', lastTimestamp: '2026-01-01T00:00:09Z', count: 7 },
      {
        type: 'Normal',
        reason: 'Pulled',
        message: 'c',
        eventTime: '2026-01-01T00:00:05.000000Z',
        reportingComponent: 'kubelet',
      },
    ]);
    expect(events.map((event) => [event.reason, event.count, event.source])).toEqual([
      ['BackOff', 7, ''],
      ['Pulled', 1, 'kubelet'],
      ['Scheduled', 1, 'scheduler'],
    ]);
    const sameSecond = describedEvents([
      { reason: 'First', lastTimestamp: '2026-01-01T00:00:01Z' },
      { reason: 'Second', lastTimestamp: '2026-01-01T00:00:01Z' },
    ]);
    expect(sameSecond.map((event) => event.reason)).toEqual(['Second', 'First']);
  });

  it('owner kinds become resource type ids as kubectl names them', () => {
    expect(typeIdOf(locationOfKind('apps/v1', 'ReplicaSet', true))).toBe('replicasets.apps');
    expect(typeIdOf(locationOfKind('v1', 'Node', false))).toBe('nodes');
    expect(guessPlural('Ingress')).toBe('ingresses');
    expect(guessPlural('NetworkPolicy')).toBe('networkpolicies');
  });
});

describe('apply outcomes', () => {
  const deployments = {
    location: locationOfKind('apps/v1', 'Deployment', true),
    name: 'web',
    namespace: 'shop',
  };

  it('a field manager conflict names each field and its manager', () => {
    const status = {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message:
        'Apply failed with 2 conflicts: conflicts with "autoscaler" using apps/v1:\n- .spec.replicas\nconflicts with "helm":\n- .spec.template.spec.containers[name="web"].image',
      reason: 'Conflict',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "autoscaler" using apps/v1',
            field: '.spec.replicas',
          },
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "helm"',
            field: '.spec.template.spec.containers[name="web"].image',
          },
        ],
      },
      code: 409,
    };
    const result = applyResultOf(KubeApiError.fromResponse(409, JSON.stringify(status), 'PATCH'));
    expect(result).toMatchObject({
      outcome: 'conflict',
      conflicts: [
        { field: '.spec.replicas', manager: 'autoscaler' },
        { field: '.spec.template.spec.containers[name="web"].image', manager: 'helm' },
      ],
    });
  });

  it('a 409 without conflicts is a stale object; a 422 is invalid with its message; a 403 is thrown', () => {
    const stale = {
      kind: 'Status',
      message:
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      code: 409,
    };
    expect(applyResultOf(KubeApiError.fromResponse(409, JSON.stringify(stale), 'PATCH'))).toMatchObject({
      outcome: 'stale',
    });
    const invalid = {
      kind: 'Status',
      message:
        'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      reason: 'Invalid',
      details: { causes: [{ reason: 'FieldValueInvalid', field: 'spec.replicas' }] },
      code: 422,
    };
    expect(applyResultOf(KubeApiError.fromResponse(422, JSON.stringify(invalid), 'PATCH'))).toEqual({
      outcome: 'invalid',
      message: invalid.message,
    });
    const forbidden = KubeApiError.fromResponse(
      403,
      JSON.stringify({ kind: 'Status', code: 403, message: 'no' }),
      'PATCH',
    );
    expect(() => applyResultOf(forbidden)).toThrow(forbidden);
  });

  it('YAML is checked before it is sent: the parse error line, one object, the same object; status and managedFields go', () => {
    expect(
      parseEdited(
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  name: other\n',
        deployments,
      ),
    ).toMatchObject({
      outcome: 'invalid',
      line: 5,
    });
    expect(parseEdited('apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n', deployments)).toMatchObject({
      outcome: 'invalid',
      message: expect.stringContaining('apiVersion must stay apps/v1; kind must stay Deployment'),
    });
    const parsed = parseEdited(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  resourceVersion: "7"\n  managedFields: []\nspec:\n  replicas: 2\nstatus:\n  replicas: 2\n',
      deployments,
    );
    expect(parsed).toEqual({
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'shop', resourceVersion: '7' },
        spec: { replicas: 2 },
      },
    });
  });
});
