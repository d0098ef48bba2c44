/** A pod as `kubectl describe pod` shows it: status, node, IP, QoS, containers, conditions, volumes. */
import type { DescribeSection } from '@switchboard/contract/app';
import { conditionsSection } from './describe-conditions.js';
import { type Fields, fields, list, num, text } from './kube-fields.js';

export function describePod(pod: Fields): DescribeSection[] {
  const spec = fields(pod.spec);
  const status = fields(pod.status);
  const ips = list(status.podIPs)
    .map((each) => text(each.ip))
    .filter(Boolean);
  const statusSection: DescribeSection = {
    title: 'Status',
    fields: [
      { label: 'Status', value: podStatus(pod) },
      { label: 'Node', value: text(spec.nodeName, '<none>') },
      { label: 'Pod IP', value: ips.join(', ') || text(status.podIP, '<none>') },
      { label: 'QoS class', value: text(status.qosClass, '<none>') },
      { label: 'Started', value: text(status.startTime, '<not started>') },
      { label: 'Service account', value: text(spec.serviceAccountName, 'default') },
    ],
  };
  const containerStatuses = new Map<string, Fields>();
  for (const each of [...list(status.initContainerStatuses), ...list(status.containerStatuses)]) {
    containerStatuses.set(text(each.name), each);
  }
  const containerRows = [
    ...list(spec.initContainers).map((container) => ({ container, init: true })),
    ...list(spec.containers).map((container) => ({ container, init: false })),
  ].map(({ container, init }) => {
    const name = text(container.name);
    const state = containerStatuses.get(name);
    return [
      init ? `${name} (init)` : name,
      text(container.image),
      containerState(state),
      state === undefined ? 'false' : String(state.ready === true),
      String(num(state?.restartCount) ?? 0),
    ];
  });
  const volumes = list(spec.volumes).map((volume) => {
    const [type, source] = Object.entries(volume).find(([key]) => key !== 'name') ?? ['<unknown>', {}];
    return [text(volume.name), type, volumeSource(fields(source))];
  });
  return [
    statusSection,
    {
      title: 'Containers',
      table: { columns: ['Name', 'Image', 'State', 'Ready', 'Restarts'], rows: containerRows },
    },
    ...conditionsSection(pod),
    ...(volumes.length === 0
      ? []
      : [{ title: 'Volumes', table: { columns: ['Name', 'Type', 'Source'], rows: volumes } }]),
  ];
}

/** kubectl's STATUS: terminating, a waiting container's reason, else the phase. */
export function podStatus(pod: Fields): string {
  if (fields(pod.metadata).deletionTimestamp) return 'Terminating';
  const status = fields(pod.status);
  for (const container of list(status.containerStatuses)) {
    const waiting = fields(fields(container.state).waiting);
    if (typeof waiting.reason === 'string' && waiting.reason) return waiting.reason;
  }
  return text(status.phase, 'Pending');
}

function containerState(status: Fields | undefined): string {
  const state = fields(status?.state);
  if (state.running) return `Running since ${text(fields(state.running).startedAt, '?')}`;
  if (state.waiting) return `Waiting: ${text(fields(state.waiting).reason, 'unknown')}`;
  if (state.terminated) {
    const terminated = fields(state.terminated);
    return `Terminated: ${text(terminated.reason, 'unknown')} (exit ${num(terminated.exitCode) ?? '?'})`;
  }
  return 'Waiting';
}

/** The source's one or two identifying fields (claimName, configMap name, secretName, path). */
function volumeSource(source: Fields): string {
  const named = ['claimName', 'name', 'secretName', 'path', 'medium'].flatMap((key) =>
    typeof source[key] === 'string' && source[key] !== '' ? [`${key}: ${source[key]}`] : [],
  );
  return named.join(', ');
}
