/**
 * The scheduler and the kubelets of kube-sim's nodes: binds new pods to Ready nodes, starts their
 * containers through the ContainerRuntime, keeps pod status as the kubelet writes it, restarts
 * exited containers with back-off, and carries out graceful deletion.
 *
 * Work triggered by a store change is deferred to a later tick: store listeners run inside the
 * write, and writing from there would let other listeners (watches) see the follow-up change
 * before the one that caused it.
 */
import type { KubeObject } from '../api/objects.js';
import { findResource } from '../api/resources.js';
import { type Change, type Store, timestamp } from '../store/store.js';
import { containerEnv } from '../workloads/pod-containers.js';
import {
  type Container,
  type ContainerRuntime,
  type ContainerSpec,
  imageID,
  normalizeImage,
  RuntimeError,
} from '../workloads/runtime.js';
import type { EventRecorder } from './events.js';

const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;
const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;
const SECRETS = findResource('', 'v1', 'secrets')!;

export interface PodLifecycleOptions {
  /** Delay of each simulated kubelet step (sandbox, pull, start). */
  startDelayMs?: number;
  /** First CrashLoopBackOff delay; doubles per crash up to backoffMaxMs (kubelet: 10s, 5m). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

interface ContainerTrack {
  restartCount: number;
  /** The next back-off; 0 until the first crash, which the kubelet restarts at once. */
  backoffMs: number;
  waiting?: { reason: string; message?: string };
  lastTerminated?: TerminatedState;
  /** Its spec changed: the exit that follows is a restart, not a crash. */
  replacing?: boolean;
}

interface PodTrack {
  uid: string;
  namespace: string;
  name: string;
  node: string;
  podIP: string;
  started: boolean;
  deleting: boolean;
  containers: Map<string, ContainerTrack>;
  timers: Set<NodeJS.Timeout>;
}

interface TerminatedState {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
  containerID: string;
}

interface Condition {
  type: string;
  status: 'True' | 'False';
  lastProbeTime: null;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

const FINAL_PHASES = new Set(['Running', 'Succeeded', 'Failed']);

export class PodLifecycle {
  private readonly startDelayMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly pods = new Map<string, PodTrack>();
  /** `namespace/name` of pods waiting for a schedulable node. */
  private readonly unscheduled = new Set<string>();
  private readonly imagesByNode = new Map<string, Set<string>>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private unsubscribe: (() => void) | undefined;
  private nextNode = 0;
  private nextIP = 0;
  private readonly onExit = (container: Container) => this.defer(() => this.containerExited(container));

  constructor(
    private readonly store: Store,
    private readonly events: EventRecorder,
    private readonly runtime: ContainerRuntime,
    options: PodLifecycleOptions = {},
  ) {
    this.startDelayMs = options.startDelayMs ?? 25;
    this.backoffBaseMs = options.backoffBaseMs ?? 1000;
    this.backoffMaxMs = options.backoffMaxMs ?? 20_000;
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.store.subscribe((change) => this.onChange(change));
    this.runtime.on('exit', this.onExit);
    // Pods that were waiting before we started.
    for (const pod of this.store.list(PODS)) this.podChanged('ADDED', pod, undefined);
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.runtime.off('exit', this.onExit);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const track of this.pods.values()) for (const timer of track.timers) clearTimeout(timer);
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private onChange(change: Change): void {
    if (change.resource === NODES) {
      if (change.type !== 'DELETED' && this.unscheduled.size > 0) {
        for (const key of [...this.unscheduled]) {
          const [namespace, name] = key.split('/') as [string, string];
          this.defer(() => this.schedule(namespace, name));
        }
      }
      return;
    }
    if (change.resource === PODS) this.podChanged(change.type, change.object, change.previous);
  }

  private podChanged(type: Change['type'], pod: KubeObject, previous: KubeObject | undefined): void {
    const uid = pod.metadata.uid!;
    const { namespace = 'default', name = '' } = pod.metadata;
    const track = this.pods.get(uid);
    if (type === 'DELETED') {
      this.unscheduled.delete(`${namespace}/${name}`);
      if (track) this.forget(track);
      else if (this.runtime.hasPod(uid)) this.track(this.runtime.removePod(uid));
      return;
    }
    if (pod.metadata.deletionTimestamp) {
      if (!previous?.metadata.deletionTimestamp) this.defer(() => this.terminate(namespace, name, uid));
      return;
    }
    if (track) {
      if (type === 'MODIFIED' && track.started) this.checkSpecChange(track, previous, pod);
      return;
    }
    if (FINAL_PHASES.has(phaseOf(pod))) return;
    const nodeName = spec(pod).nodeName;
    if (!nodeName) {
      if (type === 'ADDED') this.defer(() => this.schedule(namespace, name));
    } else {
      this.defer(() => this.kubeletStart(namespace, name, uid));
    }
  }

  private defer(work: () => void | Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(Promise.resolve().then(work));
    }, 0);
    this.timers.add(timer);
  }

  private after(track: PodTrack | undefined, ms: number, work: () => void | Promise<void>): void {
    const timers = track?.timers ?? this.timers;
    const timer = setTimeout(() => {
      timers.delete(timer);
      this.track(Promise.resolve().then(work));
    }, ms);
    timers.add(timer);
  }

  private track(promise: Promise<unknown>): void {
    const settled = promise.catch((err: unknown) => {
      // A pod deleted mid-step makes the step's write fail; there is nothing left to do for it.
      if ((err as { code?: number }).code !== 404) console.error('kube-sim pod lifecycle:', err);
    });
    this.pending.add(settled);
    void settled.finally(() => this.pending.delete(settled));
  }

  // --- scheduler ---------------------------------------------------------------------------------

  private schedule(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const pod = this.store.get(PODS, namespace, name);
    if (!pod || spec(pod).nodeName || pod.metadata.deletionTimestamp || FINAL_PHASES.has(phaseOf(pod))) {
      this.unscheduled.delete(key);
      return;
    }
    const nodes = this.store.list(NODES);
    const fit = nodes.filter((n) => nodeReady(n) && !(n.spec as { unschedulable?: boolean })?.unschedulable);
    if (fit.length === 0) {
      const message = unschedulableMessage(nodes);
      this.unscheduled.add(key);
      const current = (pod.status ?? {}) as Record<string, unknown>;
      const conditions = [condition(pod, 'PodScheduled', 'False', this.now(), 'Unschedulable', message)];
      this.store.update(PODS, {
        ...pod,
        status: { ...current, phase: 'Pending', conditions, qosClass: qosClass(pod) },
      });
      this.events.record(pod, 'Warning', 'FailedScheduling', message, { component: 'default-scheduler' });
      return;
    }
    this.unscheduled.delete(key);
    const node = fit[this.nextNode++ % fit.length]!;
    const nodeName = node.metadata.name!;
    const bound = this.store.update(PODS, {
      ...pod,
      spec: { ...spec(pod), nodeName },
      status: {
        phase: 'Pending',
        conditions: [condition(pod, 'PodScheduled', 'True', this.now())],
        qosClass: qosClass(pod),
      },
    });
    this.events.record(
      bound,
      'Normal',
      'Scheduled',
      `Successfully assigned ${namespace}/${name} to ${nodeName}`,
      {
        component: 'default-scheduler',
      },
    );
  }

  // --- kubelet -------------------------------------------------------------------------------------

  private async kubeletStart(namespace: string, name: string, uid: string): Promise<void> {
    const pod = this.current(namespace, name, uid);
    // Someone else (a scenario) may have written the pod's status since this was queued.
    if (!pod || pod.metadata.deletionTimestamp || this.pods.has(uid) || FINAL_PHASES.has(phaseOf(pod)))
      return;
    const nodeName = spec(pod).nodeName!;
    const track: PodTrack = {
      uid,
      namespace,
      name,
      node: nodeName,
      podIP: this.allocateIP(),
      started: false,
      deleting: false,
      containers: new Map(
        containers(pod).map((c) => [
          c.name,
          { restartCount: 0, backoffMs: 0, waiting: { reason: 'ContainerCreating' } },
        ]),
      ),
      timers: new Set(),
    };
    this.pods.set(uid, track);
    this.writeStatus(track, { podIP: false });
    await this.runtime.createPod(uid);
    this.after(track, this.startDelayMs, () => this.startContainers(track));
  }

  private startContainers(track: PodTrack): void {
    const pod = this.current(track.namespace, track.name, track.uid);
    if (!pod || track.deleting) return;
    track.started = true;
    for (const c of containers(pod)) this.startContainer(track, pod, c, true);
    this.writeStatus(track);
  }

  /** Pull (or find) the image, create and start the container, with the kubelet's events. */
  private startContainer(track: PodTrack, pod: KubeObject, c: ContainerSpec, firstStart: boolean): void {
    const ct = track.containers.get(c.name) ?? { restartCount: 0, backoffMs: 0 };
    track.containers.set(c.name, ct);
    const source = { component: 'kubelet', host: track.node };
    const fieldPath = `spec.containers{${c.name}}`;
    const images = this.imagesByNode.get(track.node) ?? new Set<string>();
    this.imagesByNode.set(track.node, images);
    const ref = normalizeImage(c.image);
    const policy =
      (c as { imagePullPolicy?: string }).imagePullPolicy ??
      (ref.endsWith(':latest') ? 'Always' : 'IfNotPresent');
    if (policy === 'Always' || (policy === 'IfNotPresent' && !images.has(ref))) {
      this.events.record(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, source, fieldPath);
      const secs = (0.5 + ((ref.length * 37) % 1500) / 1000).toFixed(3);
      const size = 20_000_000 + ((ref.length * 7_919_011) % 80_000_000);
      this.events.record(
        pod,
        'Normal',
        'Pulled',
        `Successfully pulled image "${c.image}" in ${secs}s (${secs}s including waiting). Image size: ${size} bytes.`,
        source,
        fieldPath,
      );
      images.add(ref);
    } else {
      this.events.record(
        pod,
        'Normal',
        'Pulled',
        `Container image "${c.image}" already present on machine`,
        source,
        fieldPath,
      );
    }
    let container: Container;
    try {
      // The sandbox has its IP before any container starts, so `status.podIP` env refs see it.
      const sandbox = { ...pod, status: { ...(pod.status as object), podIP: track.podIP } };
      const env = containerEnv(sandbox, c, this.runtime.podDir(track.uid), (kind, namespace, name) =>
        this.store.get(kind === 'configmap' ? CONFIGMAPS : SECRETS, namespace, name),
      );
      container = this.runtime.startContainer(pod, c, env, track.podIP);
    } catch (err) {
      if (!(err instanceof RuntimeError)) throw err;
      const message = `failed to start container "${c.name}": ${err.message}`;
      this.events.record(pod, 'Warning', 'Failed', `Error: ${message}`, source, fieldPath);
      ct.waiting = { reason: 'RunContainerError', message };
      this.scheduleRestart(track, c.name, ct);
      return;
    }
    if (!firstStart) ct.restartCount++;
    ct.waiting = undefined;
    if (container.exit?.reason === 'StartError') {
      this.events.record(pod, 'Warning', 'Failed', `Error: ${container.exit.message}`, source, fieldPath);
      return;
    }
    this.events.record(pod, 'Normal', 'Created', `Created container: ${c.name}`, source, fieldPath);
    this.events.record(pod, 'Normal', 'Started', `Started container ${c.name}`, source, fieldPath);
  }

  private containerExited(container: Container): void {
    const track = this.pods.get(container.podUid);
    if (!track || track.deleting || this.runtime.current(track.uid, container.name) !== container) return;
    const pod = this.current(track.namespace, track.name, track.uid);
    const ct = track.containers.get(container.name);
    if (!pod || !ct) return;
    const exit = container.exit!;
    const c = containers(pod).find((x) => x.name === container.name);
    const policy = (spec(pod).restartPolicy as string | undefined) ?? 'Always';
    if (ct.replacing && c) {
      ct.replacing = false;
      ct.lastTerminated = terminated(container);
      this.startContainer(track, pod, c, false);
    } else if (c && (policy === 'Always' || (policy === 'OnFailure' && exit.exitCode !== 0))) {
      ct.lastTerminated = terminated(container);
      const ranMs = exit.finishedAt.getTime() - container.startedAt.getTime();
      if (ranMs > 10 * this.backoffMaxMs) ct.backoffMs = 0;
      if (ct.backoffMs === 0) {
        ct.backoffMs = this.backoffBaseMs;
        this.startContainer(track, pod, c, false);
      } else {
        const message = `back-off ${goDuration(ct.backoffMs)} restarting failed container=${c.name} pod=${track.name}_${track.namespace}(${track.uid})`;
        ct.waiting = {
          reason: exit.reason === 'StartError' ? 'RunContainerError' : 'CrashLoopBackOff',
          message,
        };
        this.events.record(
          pod,
          'Warning',
          'BackOff',
          `Back-off restarting failed container ${c.name} in pod ${track.name}_${track.namespace}(${track.uid})`,
          kubelet(track),
          fieldPathOf(c.name),
        );
        this.scheduleRestart(track, c.name, ct);
      }
    }
    this.writeStatus(track);
  }

  private scheduleRestart(track: PodTrack, name: string, ct: ContainerTrack): void {
    const delay = ct.backoffMs || this.backoffBaseMs;
    ct.backoffMs = Math.min(delay * 2, this.backoffMaxMs);
    this.after(track, delay, () => {
      const pod = this.current(track.namespace, track.name, track.uid);
      const c = pod && containers(pod).find((x) => x.name === name);
      if (!pod || !c || track.deleting) return;
      this.startContainer(track, pod, c, false);
      this.writeStatus(track);
    });
  }

  /** A changed image restarts that container, as the kubelet does when a container's hash changes. */
  private checkSpecChange(track: PodTrack, previous: KubeObject | undefined, pod: KubeObject): void {
    if (!previous) return;
    const before = new Map(containers(previous).map((c) => [c.name, c.image]));
    for (const c of containers(pod)) {
      if (before.get(c.name) === c.image) continue;
      const ct = track.containers.get(c.name);
      const running = this.runtime.current(track.uid, c.name);
      if (!ct || !running?.running) continue;
      ct.replacing = true;
      this.events.record(
        pod,
        'Normal',
        'Killing',
        `Container ${c.name} definition changed, will be restarted`,
        kubelet(track),
        fieldPathOf(c.name),
      );
      this.track(this.runtime.stopContainer(track.uid, c.name, gracePeriod(pod)));
    }
  }

  /** Graceful deletion: stop the containers, report them terminated, then remove the pod. */
  private async terminate(namespace: string, name: string, uid: string): Promise<void> {
    const pod = this.current(namespace, name, uid);
    if (!pod) return;
    const track = this.pods.get(uid);
    const nodeName = spec(pod).nodeName;
    if (track) {
      track.deleting = true;
      for (const timer of track.timers) clearTimeout(timer);
      track.timers.clear();
    }
    if (nodeName) {
      const grace = gracePeriod(pod);
      const stops: Promise<void>[] = [];
      for (const c of containers(pod)) {
        const running = this.runtime.current(uid, c.name);
        if (track && !running?.running) continue;
        this.events.record(
          pod,
          'Normal',
          'Killing',
          `Stopping container ${c.name}`,
          { component: 'kubelet', host: nodeName },
          fieldPathOf(c.name),
        );
        stops.push(this.runtime.stopContainer(uid, c.name, grace));
      }
      await Promise.all(stops);
      if (track?.started) this.writeStatus(track);
    }
    if (this.current(namespace, name, uid)) this.store.remove(PODS, namespace, name);
  }

  private forget(track: PodTrack): void {
    track.deleting = true;
    for (const timer of track.timers) clearTimeout(timer);
    this.pods.delete(track.uid);
    this.track(this.runtime.removePod(track.uid));
  }

  // --- status ------------------------------------------------------------------------------------

  private writeStatus(track: PodTrack, options: { podIP?: boolean } = {}): void {
    const pod = this.current(track.namespace, track.name, track.uid);
    if (!pod) return;
    const now = this.now();
    const node = this.store.get(NODES, undefined, track.node);
    const hostIP =
      ((node?.status as { addresses?: { type: string; address: string }[] })?.addresses ?? []).find(
        (a) => a.type === 'InternalIP',
      )?.address ?? '';
    const statuses = containers(pod).map((c) => this.containerStatus(track, c));
    const creating = statuses.some((s) => s.state.waiting?.reason === 'ContainerCreating');
    const allTerminated = statuses.length > 0 && statuses.every((s) => s.state.terminated);
    const phase = creating
      ? 'Pending'
      : allTerminated
        ? statuses.every((s) => s.state.terminated?.exitCode === 0)
          ? 'Succeeded'
          : 'Failed'
        : 'Running';
    const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
    const completed = phase === 'Succeeded' || phase === 'Failed';
    const notReady = completed
      ? { reason: 'PodCompleted' }
      : { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
    const ready = unready.length === 0 ? 'True' : 'False';
    const sandbox = !creating && !track.deleting && !completed ? 'True' : 'False';
    const conditions = [
      condition(pod, 'PodReadyToStartContainers', sandbox, now),
      condition(pod, 'Initialized', 'True', now, completed ? 'PodCompleted' : undefined),
      condition(pod, 'Ready', ready, now, ready === 'True' ? undefined : notReady.reason, notReady.message),
      condition(
        pod,
        'ContainersReady',
        ready,
        now,
        ready === 'True' ? undefined : notReady.reason,
        notReady.message,
      ),
      condition(pod, 'PodScheduled', 'True', now),
    ];
    const previous = (pod.status ?? {}) as Record<string, unknown>;
    const withIP = options.podIP !== false;
    const status: Record<string, unknown> = {
      phase,
      conditions,
      hostIP,
      hostIPs: hostIP ? [{ ip: hostIP }] : [],
      ...(withIP ? { podIP: track.podIP, podIPs: [{ ip: track.podIP }] } : {}),
      startTime: (previous.startTime as string | undefined) ?? now,
      containerStatuses: statuses,
      qosClass: (previous.qosClass as string | undefined) ?? qosClass(pod),
    };
    this.store.update(PODS, { ...pod, status });
  }

  private containerStatus(track: PodTrack, c: ContainerSpec) {
    const ct = track.containers.get(c.name);
    const container = this.runtime.current(track.uid, c.name);
    let state: {
      waiting?: { reason: string; message?: string };
      running?: { startedAt: string };
      terminated?: TerminatedState;
    };
    if (ct?.waiting || !container) state = { waiting: ct?.waiting ?? { reason: 'ContainerCreating' } };
    else if (container.running) state = { running: { startedAt: timestamp(container.startedAt) } };
    else state = { terminated: terminated(container) };
    const running = state.running !== undefined && !track.deleting;
    return {
      name: c.name,
      state,
      lastState: ct?.lastTerminated ? { terminated: ct.lastTerminated } : {},
      ready: running,
      restartCount: ct?.restartCount ?? 0,
      image: normalizeImage(c.image),
      imageID: container ? imageID(c.image) : '',
      ...(container && !state.waiting ? { containerID: container.containerID } : {}),
      started: running,
    };
  }

  private current(namespace: string, name: string, uid: string): KubeObject | undefined {
    const pod = this.store.get(PODS, namespace, name);
    return pod?.metadata.uid === uid ? pod : undefined;
  }

  private allocateIP(): string {
    const k = this.nextIP++;
    return `10.244.${Math.floor(k / 253) % 256}.${(k % 253) + 2}`;
  }

  private now(): string {
    return timestamp(this.store.now());
  }
}

function spec(pod: KubeObject): Record<string, unknown> & { nodeName?: string } {
  return (pod.spec ?? {}) as Record<string, unknown> & { nodeName?: string };
}

function phaseOf(pod: KubeObject): string {
  return (pod.status as { phase?: string } | undefined)?.phase ?? '';
}

function containers(pod: KubeObject): ContainerSpec[] {
  return ((spec(pod).containers as ContainerSpec[] | undefined) ?? []).filter((c) => c?.name);
}

function kubelet(track: PodTrack) {
  return { component: 'kubelet', host: track.node };
}

function fieldPathOf(name: string): string {
  return `spec.containers{${name}}`;
}

function gracePeriod(pod: KubeObject): number {
  return (
    pod.metadata.deletionGracePeriodSeconds ??
    (spec(pod).terminationGracePeriodSeconds as number | undefined) ??
    30
  );
}

function terminated(container: Container): TerminatedState {
  const exit = container.exit!;
  return {
    exitCode: exit.exitCode,
    reason: exit.reason,
    ...(exit.message ? { message: exit.message } : {}),
    startedAt: timestamp(container.startedAt),
    finishedAt: timestamp(exit.finishedAt),
    containerID: container.containerID,
  };
}

/** Keeps lastTransitionTime while the condition's status stays the same. */
function condition(
  pod: KubeObject,
  type: string,
  status: 'True' | 'False',
  now: string,
  reason?: string,
  message?: string,
): Condition {
  const old = ((pod.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find(
    (c) => c.type === type,
  );
  const since = old && old.status === status ? old.lastTransitionTime : now;
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: since,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

function nodeReady(node: KubeObject): boolean {
  const conditions = (node.status as { conditions?: { type: string; status: string }[] } | undefined)
    ?.conditions;
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The scheduler's FitError text for nodes that all fail, or its no-nodes error. */
function unschedulableMessage(nodes: KubeObject[]): string {
  if (nodes.length === 0) return 'no nodes available to schedule pods';
  const reasons = new Map<string, number>();
  for (const node of nodes) {
    const reason = !nodeReady(node)
      ? 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }'
      : 'node(s) were unschedulable';
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const parts = [...reasons].map(([r, n]) => `${n} ${r}`).sort();
  const n = nodes.length;
  return `0/${n} nodes are available: ${parts.join(', ')}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
}

/** BestEffort, Burstable or Guaranteed, from the containers' requests and limits. */
export function qosClass(pod: KubeObject): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const all = [...containers(pod), ...((spec(pod).initContainers as ContainerSpec[] | undefined) ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    if (Object.keys(requests).length > 0 || Object.keys(limits).length > 0) any = true;
    for (const resource of ['cpu', 'memory']) {
      const limit = limits[resource];
      const request = requests[resource] ?? limit;
      if (!limit || request !== limit) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Go's time.Duration formatting for the durations back-off uses: `10s`, `2m40s`, `5m0s`, `20ms`. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = +(totalSeconds - minutes * 60).toFixed(3);
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}
