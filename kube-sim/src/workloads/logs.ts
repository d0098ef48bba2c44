/**
 * GET pods/log: the apiserver's PodLogOptions decoding and validation, then the kubelet's
 * containerLogs (container state checks, tail, since, timestamps, limitBytes, follow).
 */

import { badRequest, type FieldError, invalid } from '../api/errors.js';
import type { KubeObject } from '../api/objects.js';
import { queryBool, queryInt64 } from '../api/query-parameters.js';
import { type ApiResponse, sendHeadNow } from '../server/exchange.js';
import type { Store } from '../store/store.js';
import { formatLogTimestamp, type LogLine } from './log-buffer.js';
import { containerStatusOf, podSpec, runningInstance, validateContainer } from './pod-containers.js';
import type { Container, ContainerRuntime } from './runtime.js';

export interface PodLogOptions {
  container: string | null;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** Milliseconds since the epoch (metav1.Time: whole seconds). */
  sinceTime?: number;
  limitBytes?: number;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function queryTime(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const ms = RFC3339.test(value) ? Date.parse(value.toUpperCase()) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw badRequest(
      `parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(value)} as "2006"`,
    );
  }
  return Math.floor(ms / 1000) * 1000;
}

/** Decodes and validates the query as the apiserver does (400 for bad syntax, 422 for bad values). */
export function parsePodLogOptions(podName: string, query: URLSearchParams): PodLogOptions {
  const options: PodLogOptions = {
    container: query.get('container') || null,
    follow: queryBool(query, 'follow'),
    previous: queryBool(query, 'previous'),
    timestamps: queryBool(query, 'timestamps'),
    tailLines: queryInt64(query, 'tailLines'),
    sinceSeconds: queryInt64(query, 'sinceSeconds'),
    sinceTime: queryTime(query, 'sinceTime'),
    limitBytes: queryInt64(query, 'limitBytes'),
  };
  const errors: FieldError[] = [];
  if (options.tailLines !== undefined && options.tailLines < 0) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'tailLines',
      detail: `Invalid value: ${options.tailLines}: must be greater than or equal to 0`,
    });
  }
  if (options.limitBytes !== undefined && options.limitBytes < 1) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'limitBytes',
      detail: `Invalid value: ${options.limitBytes}: must be greater than 0`,
    });
  }
  if (options.sinceSeconds !== undefined && options.sinceTime !== undefined) {
    errors.push({
      type: 'FieldValueForbidden',
      field: '',
      detail: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    });
  } else if (options.sinceSeconds !== undefined && options.sinceSeconds < 1) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'sinceSeconds',
      detail: `Invalid value: ${options.sinceSeconds}: must be greater than 0`,
    });
  }
  if (errors.length > 0) throw invalid('', 'PodLogOptions', podName, errors);
  return options;
}

/**
 * Which container instance's log the kubelet would read (validateContainerLogStatus), or its
 * error, which reaches the client as a 400 with the kubelet's text.
 */
function logSource(
  runtime: ContainerRuntime,
  pod: KubeObject,
  name: string,
  previous: boolean,
): Container | undefined {
  const podName = pod.metadata.name;
  const uid = pod.metadata.uid!;
  const status = containerStatusOf(pod, name);
  if (previous) {
    if (!status?.lastState?.terminated) {
      throw badRequest(`previous terminated container "${name}" in pod "${podName}" not found`);
    }
    return runtime.previous(uid, name);
  }
  const state = status?.state ?? {};
  const spec = validateContainer(pod, name);
  if (state.running) return runningInstance(runtime, pod, spec);
  if (state.terminated || status?.lastState?.terminated) {
    const current = runtime.current(uid, name);
    return current && !current.running ? current : runtime.previous(uid, name);
  }
  const reason = state.waiting?.reason ?? 'ContainerCreating';
  if (reason === 'ErrImagePull') {
    throw badRequest(`container "${name}" in pod "${podName}" is waiting to start: image can't be pulled`);
  }
  if (reason === 'ImagePullBackOff') {
    throw badRequest(
      `container "${name}" in pod "${podName}" is waiting to start: trying and failing to pull image`,
    );
  }
  throw badRequest(`container "${name}" in pod "${podName}" is waiting to start: ${reason}`);
}

function selectLines(lines: LogLine[], options: PodLogOptions, now: number): LogLine[] {
  let selected = lines;
  if (options.tailLines !== undefined)
    selected = options.tailLines === 0 ? [] : selected.slice(-options.tailLines);
  const since =
    options.sinceTime ?? (options.sinceSeconds !== undefined ? now - options.sinceSeconds * 1000 : undefined);
  if (since !== undefined) selected = selected.filter((line) => line.ms >= since);
  return selected;
}

export function streamPodLog(
  res: ApiResponse,
  _store: Store,
  runtime: ContainerRuntime,
  pod: KubeObject,
  query: URLSearchParams,
): void {
  const options = parsePodLogOptions(pod.metadata.name ?? '', query);
  const spec = validateContainer(pod, options.container);
  // An unscheduled pod has no kubelet to ask; the apiserver answers with an empty log.
  const source = podSpec(pod).nodeName ? logSource(runtime, pod, spec.name, options.previous) : undefined;

  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/plain');
  let remaining = options.limitBytes ?? Number.POSITIVE_INFINITY;
  let done = false;
  const cleanups: (() => void)[] = [];
  const finish = () => {
    if (done) return;
    done = true;
    for (const cleanup of cleanups) cleanup();
    if (!res.writableEnded) res.end();
  };
  const emit = (line: LogLine) => {
    if (done) return;
    let chunk = Buffer.from(options.timestamps ? `${formatLogTimestamp(line)} ${line.text}` : line.text);
    if (chunk.length > remaining) chunk = chunk.subarray(0, remaining);
    remaining -= chunk.length;
    res.write(chunk);
    if (remaining <= 0) finish();
  };

  if (!source) {
    finish();
    return;
  }
  for (const line of selectLines(source.logLines(), options, Date.now())) emit(line);
  if (!options.follow || !source.running || done) {
    finish();
    return;
  }
  sendHeadNow(res);
  const since = options.sinceTime ?? 0;
  cleanups.push(source.subscribeLogs((line) => line.ms >= since && emit(line)));
  void source.exited.then(finish);
  const onClose = () => finish();
  res.on('close', onClose);
  cleanups.push(() => res.off('close', onClose));
}
