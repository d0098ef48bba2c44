/**
 * The generic registry: what the apiserver does between decoding a request and writing to etcd.
 * Name generation, defaulting, validation, status/spec separation, generation bumps, optimistic
 * concurrency, graceful deletion, finalizers, and namespace checks, for every stored resource, and
 * the field manager's bookkeeping (metadata.managedFields) on every write, server-side apply included.
 */
import { randomInt } from 'node:crypto';
import { applyDefaults } from '../api/defaults.js';
import { badRequest, conflict, forbidden, invalid, notFound } from '../api/errors.js';
import {
  type ApplyRequest,
  apply,
  onlyTimesChanged,
  recordUpdate,
} from '../api/field-manager/field-manager.js';
import { clone, isPlainObject, type KubeObject } from '../api/objects.js';
import { applyPatch, type MergingPatchType } from '../api/patch.js';
import { findResource, type ResourceType } from '../api/resources.js';
import { validate } from '../api/validation.js';
import { type Store, timestamp } from '../store/store.js';

const NAMESPACES = findResource('', 'v1', 'namespaces')!;
const SERVICES = findResource('', 'v1', 'services')!;
const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

/** Kinds whose `status` is written only through the status subresource. */
function hasStatusSubresource(type: ResourceType): boolean {
  return type.subresources.some((s) => s.name === 'status');
}

/** The apiserver returns the object for these deletions, a Status for the rest. */
const RETURNS_DELETED_OBJECT = new Set(['pods', 'services', 'namespaces', 'nodes']);

export interface WriteOptions {
  dryRun: boolean;
  /**
   * The manager the write is recorded under in metadata.managedFields, as an Update. Without one
   * the object's managedFields are stored as given: server-side apply records its own.
   */
  fieldManager?: string;
  /**
   * PATCH: runs on the patched object before anything else looks at it, as the apiserver decodes
   * the patch result into its typed object (dropping unknown fields, per `fieldValidation`).
   */
  decodePatched?: (patched: KubeObject) => void;
}

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function generateSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
  return s;
}

export class ResourceRegistry {
  constructor(private readonly store: Store) {}

  get(type: ResourceType, namespace: string, name: string): KubeObject {
    return this.store.mustGet(type, namespace, name);
  }

  create(type: ResourceType, namespace: string, body: KubeObject, options: WriteOptions): KubeObject {
    const object = clone(body);
    const metadata = object.metadata;
    if (type.namespaced) {
      if (metadata.namespace && metadata.namespace !== namespace) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      metadata.namespace = namespace;
      this.requireActiveNamespace(type, namespace, metadata.name ?? '');
    } else {
      delete metadata.namespace;
    }
    if (!metadata.name && metadata.generateName)
      metadata.name = `${metadata.generateName}${generateSuffix()}`;
    for (const field of [
      'uid',
      'resourceVersion',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'selfLink',
    ]) {
      delete metadata[field];
    }
    // Status is the controllers' to write; only a Node (registered by its kubelet) may bring one.
    if (hasStatusSubresource(type) && type.kind !== 'Node') delete object.status;
    if (type.kind === 'Pod') object.status = { phase: 'Pending', qosClass: qosClass(object) };
    applyDefaults(object);
    // The handler records the decoded, defaulted object; what the registry allocates is nobody's.
    if (options.fieldManager !== undefined) {
      recordUpdate(this.scope(type, ''), undefined, object, options.fieldManager);
    }
    if (type.kind === 'Service') this.allocateClusterIP(object);
    if ('spec' in object || type.kind === 'Pod') metadata.generation = 1;
    this.validate(type, object);
    if (options.dryRun) {
      if (this.store.get(type, namespace, metadata.name!)) {
        return this.store.create(type, object); // throws AlreadyExists as the real write would
      }
      return { ...object, metadata: { ...metadata, creationTimestamp: timestamp(this.store.now()) } };
    }
    return this.store.create(type, object);
  }

  /**
   * PUT: replaces the object, or only its status when `subresource` is `status`. An empty
   * resourceVersion makes the write unconditional, as for every built-in type.
   */
  update(
    type: ResourceType,
    namespace: string,
    name: string,
    body: KubeObject,
    subresource: string,
    options: WriteOptions,
  ): KubeObject {
    if (body.metadata?.name !== undefined && body.metadata.name !== name) {
      throw badRequest(
        'the name of the object (' +
          body.metadata.name +
          ') does not match the name on the URL (' +
          name +
          ')',
      );
    }
    if (type.namespaced && body.metadata?.namespace && body.metadata.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const current = this.store.mustGet(type, namespace, name);
    return this.write(type, current, clone(body), subresource, options);
  }

  patch(
    type: ResourceType,
    namespace: string,
    name: string,
    patchType: MergingPatchType,
    patch: unknown,
    subresource: string,
    options: WriteOptions,
  ): KubeObject {
    const current = this.store.mustGet(type, namespace, name);
    const patched = applyPatch(type, current, patchType, patch);
    options.decodePatched?.(patched);
    if (patched.metadata?.name !== name) {
      throw badRequest(
        `the name of the object (${String(patched.metadata?.name)}) does not match the name on the URL (${name})`,
      );
    }
    // A patch carries a resourceVersion only when the client wants a conditional write.
    const patchRV =
      isPlainObject(patch) && isPlainObject(patch.metadata) ? patch.metadata.resourceVersion : undefined;
    if (patchRV === undefined) patched.metadata.resourceVersion = current.metadata.resourceVersion;
    return this.write(type, current, patched, subresource, options);
  }

  /**
   * Server-side apply: merges the applied configuration into the object under its manager's
   * ownership, creating the object when it does not exist yet (`created` says which happened).
   */
  apply(
    type: ResourceType,
    namespace: string,
    name: string,
    request: ApplyRequest,
    subresource: string,
    options: WriteOptions,
  ): { object: KubeObject; created: boolean } {
    const current = this.store.get(type, namespace, name);
    if (!current && subresource) throw notFound(type.group, type.plural, name);
    const applied = apply(this.scope(type, subresource), current, request);
    checkName(applied, namespace, name);
    const writeOptions = { dryRun: options.dryRun };
    if (!current) return { object: this.create(type, namespace, applied, writeOptions), created: true };
    const configured = request.configuration.metadata as { resourceVersion?: unknown } | undefined;
    if (configured?.resourceVersion === undefined) {
      applied.metadata.resourceVersion = current.metadata.resourceVersion;
    }
    return { object: this.write(type, current, applied, subresource, writeOptions), created: false };
  }

  delete(
    type: ResourceType,
    namespace: string,
    name: string,
    options: DeleteOptions,
  ): KubeObject | undefined {
    const current = this.store.mustGet(type, namespace, name);
    const { preconditions } = options;
    if (preconditions?.uid && preconditions.uid !== current.metadata.uid) {
      throw conflict(
        type.group,
        type.plural,
        name,
        `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid}`,
      );
    }
    if (
      preconditions?.resourceVersion &&
      preconditions.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw conflict(
        type.group,
        type.plural,
        name,
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
      );
    }
    if (options.dryRun) return current;

    const finalizers = [...(current.metadata.finalizers ?? [])];
    const policy = options.propagationPolicy;
    if (policy === 'Foreground' && !finalizers.includes(FOREGROUND)) finalizers.push(FOREGROUND);
    if (policy === 'Orphan' && !finalizers.includes(ORPHAN)) finalizers.push(ORPHAN);

    const grace = this.gracePeriod(type, current, options.gracePeriodSeconds);
    if (type.kind === 'Namespace') {
      if (current.metadata.deletionTimestamp) return current;
      return this.store.update(type, {
        ...current,
        metadata: {
          ...current.metadata,
          deletionTimestamp: timestamp(this.store.now()),
          deletionGracePeriodSeconds: 0,
        },
        status: { ...(current.status as object), phase: 'Terminating' },
      });
    }
    if (finalizers.length > 0 || grace > 0) {
      if (
        current.metadata.deletionTimestamp &&
        finalizers.length === (current.metadata.finalizers ?? []).length
      ) {
        // Already terminating: a shorter grace period may still cut the wait, as the apiserver allows.
        const previous = current.metadata.deletionGracePeriodSeconds ?? 0;
        if (grace >= previous) return current;
      }
      const now = this.store.now();
      return this.store.update(type, {
        ...current,
        metadata: {
          ...current.metadata,
          finalizers: finalizers.length ? finalizers : undefined,
          deletionTimestamp:
            current.metadata.deletionTimestamp ?? timestamp(new Date(now.getTime() + grace * 1000)),
          deletionGracePeriodSeconds: grace,
        },
      });
    }
    return this.store.remove(type, namespace, name);
  }

  /** Whether DELETE answers with the object (true) or with a Success Status. */
  returnsDeletedObject(type: ResourceType, result: KubeObject): boolean {
    return RETURNS_DELETED_OBJECT.has(type.plural) || result.metadata.deletionTimestamp !== undefined;
  }

  private gracePeriod(type: ResourceType, pod: KubeObject, requested: number | undefined): number {
    if (type.kind !== 'Pod') return 0;
    const spec = pod.spec as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    // Unscheduled or finished pods have nothing to stop: the apiserver deletes them at once.
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    return requested ?? spec.terminationGracePeriodSeconds ?? 30;
  }

  private write(
    type: ResourceType,
    current: KubeObject,
    next: KubeObject,
    subresource: string,
    options: WriteOptions,
  ): KubeObject {
    if (next.apiVersion !== current.apiVersion || next.kind !== current.kind) {
      next.apiVersion = current.apiVersion;
      next.kind = current.kind;
    }
    next.metadata ??= {};
    const metadata = next.metadata;
    metadata.name = current.metadata.name;
    if (type.namespaced) metadata.namespace = current.metadata.namespace;
    // The server owns these: a client cannot set or clear them with an update.
    metadata.uid = current.metadata.uid;
    metadata.creationTimestamp = current.metadata.creationTimestamp;
    metadata.deletionTimestamp = current.metadata.deletionTimestamp;
    metadata.deletionGracePeriodSeconds = current.metadata.deletionGracePeriodSeconds;
    if (metadata.deletionTimestamp === undefined) delete metadata.deletionTimestamp;
    if (metadata.deletionGracePeriodSeconds === undefined) delete metadata.deletionGracePeriodSeconds;

    let result: KubeObject;
    if (subresource === 'status') {
      result = {
        ...current,
        status: next.status,
        metadata: {
          ...current.metadata,
          resourceVersion: metadata.resourceVersion,
          managedFields: metadata.managedFields,
        },
      };
    } else if (subresource) {
      throw notFound(type.group, `${type.plural}/${subresource}`, current.metadata.name!);
    } else {
      result = next;
      if (hasStatusSubresource(type)) result.status = current.status;
      applyDefaults(result);
      if (current.metadata.generation !== undefined) {
        const specChanged =
          JSON.stringify(stripForGeneration(current)) !== JSON.stringify(stripForGeneration(result));
        metadata.generation = (current.metadata.generation ?? 1) + (specChanged ? 1 : 0);
      }
    }
    if (options.fieldManager !== undefined) {
      recordUpdate(this.scope(type, subresource), current, result, options.fieldManager);
    }
    if (result.metadata.managedFields === undefined) delete result.metadata.managedFields;
    this.validate(type, result, current);
    if (options.dryRun) return result;

    // Removing the last finalizer of an object being deleted completes the deletion.
    if (result.metadata.deletionTimestamp && !(result.metadata.finalizers ?? []).length) {
      const graceLeft = type.kind === 'Pod' && (result.metadata.deletionGracePeriodSeconds ?? 0) > 0;
      if (!graceLeft) {
        this.store.update(type, result, result.metadata.resourceVersion || undefined);
        return this.store.remove(type, result.metadata.namespace, result.metadata.name!);
      }
    }
    if (result.metadata.finalizers?.length === 0) delete result.metadata.finalizers;
    // A write that changes nothing is not stored (etcd3 GuaranteedUpdate compares the bytes): the
    // object keeps its resourceVersion and watchers see no event; kubectl then says "(no change)".
    if (
      onlyTimesChanged(current.metadata.managedFields, result.metadata.managedFields) &&
      unchanged(current, {
        ...result,
        metadata: { ...result.metadata, managedFields: current.metadata.managedFields },
      })
    ) {
      result.metadata.managedFields = current.metadata.managedFields;
    }
    const expectedRV = result.metadata.resourceVersion;
    if ((!expectedRV || expectedRV === current.metadata.resourceVersion) && unchanged(current, result)) {
      return current;
    }
    return this.store.update(type, result, result.metadata.resourceVersion || undefined);
  }

  private scope(type: ResourceType, subresource: string) {
    return { type, subresource, now: timestamp(this.store.now()) };
  }

  /** The service-IP allocator: the next free address of the service CIDR (10.96.0.0/16). */
  private allocateClusterIP(service: KubeObject): void {
    const spec = service.spec as { clusterIP?: string; clusterIPs?: string[]; type?: string } | undefined;
    if (!spec || spec.type === 'ExternalName') return;
    if (!spec.clusterIP) {
      const used = new Set(
        this.store.list(SERVICES).map((s) => (s.spec as { clusterIP?: string }).clusterIP),
      );
      for (let i = 1; i < 65_535 && !spec.clusterIP; i++) {
        const ip = `10.96.${i >> 8}.${i & 255}`;
        if (!used.has(ip)) spec.clusterIP = ip;
      }
    }
    spec.clusterIPs ??= [spec.clusterIP!];
  }

  private validate(type: ResourceType, object: KubeObject, old?: KubeObject): void {
    const errors = validate(type, object, old);
    if (errors.length) throw invalid(type.group, type.kind, object.metadata?.name ?? '', errors);
  }

  /** The NamespaceLifecycle admission plugin, which words its refusal as admission.NewForbidden. */
  private requireActiveNamespace(type: ResourceType, namespace: string, name: string): void {
    const ns = this.store.get(NAMESPACES, undefined, namespace);
    if (!ns) throw notFound('', 'namespaces', namespace);
    if (ns.metadata.deletionTimestamp) {
      const resource = type.group ? `${type.plural}.${type.group}` : type.plural;
      throw forbidden(
        `${name ? `${resource} "${name}"` : resource} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          name: name || undefined,
          group: type.group || undefined,
          kind: type.plural,
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${namespace} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        },
      );
    }
  }
}

/** handlers' checkName: a patch result must still name the object on the URL. */
function checkName(object: KubeObject, namespace: string, name: string): void {
  const objectName = object.metadata?.name ?? '';
  if (objectName !== name) {
    throw badRequest(`the name of the object (${objectName}) does not match the name on the URL (${name})`);
  }
  const objectNamespace = object.metadata?.namespace;
  if (namespace && objectNamespace && objectNamespace !== namespace) {
    throw badRequest(
      `the namespace of the object (${objectNamespace}) does not match the namespace on the URL (${namespace})`,
    );
  }
}

function stripForGeneration(object: KubeObject): unknown {
  const { metadata: _metadata, status: _status, ...rest } = object;
  return rest;
}

function qosClass(pod: KubeObject): string {
  const containers =
    (pod.spec as { containers?: { resources?: { requests?: object; limits?: Record<string, string> } }[] })
      ?.containers ?? [];
  const all = containers.map((c) => c.resources ?? {});
  if (all.every((r) => !r.requests && !r.limits)) return 'BestEffort';
  const guaranteed = all.every(
    (r) =>
      r.limits?.cpu &&
      r.limits?.memory &&
      (!r.requests || JSON.stringify(r.requests) === JSON.stringify(r.limits)),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Whether two versions of an object are the same but for their resourceVersion. */
function unchanged(current: KubeObject, next: KubeObject): boolean {
  const canonical = (object: KubeObject) =>
    JSON.stringify(
      { ...object, metadata: { ...object.metadata, resourceVersion: undefined } },
      (_key, value) =>
        isPlainObject(value)
          ? Object.fromEntries(
              Object.entries(value)
                .filter(([, v]) => v !== undefined)
                .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
            )
          : value,
    );
  return canonical(current) === canonical(next);
}
