/**
 * CustomResourceDefinitions, as the apiextensions server handles them: a definition's served
 * versions become resource types (in discovery, with CRUD, watch and Table output) as soon as it
 * is stored, its status says NamesAccepted and Established on the next turn, and deleting it
 * deletes every object of its resource, then stops serving it.
 */
import { definitionName, servedTypes } from '../api/custom-resources.js';
import type { KubeObject } from '../api/objects.js';
import type { ResourceCatalog } from '../api/resource-catalog.js';
import { findResource } from '../api/resources.js';
import { type Change, type Store, timestamp } from '../store/store.js';
import { WorkQueue } from './work-queue.js';

const DEFINITIONS = findResource('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;

export class CustomResourceDefinitions {
  private readonly queue: WorkQueue;
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly store: Store,
    private readonly catalog: ResourceCatalog,
  ) {
    this.queue = new WorkQueue(
      (name) => this.writeStatus(name),
      () => {},
    );
  }

  /** Serves what stored definitions declare; call before anything creates custom objects. */
  start(): void {
    this.unsubscribe = this.store.subscribe((change) => this.onChange(change));
    for (const definition of this.store.list(DEFINITIONS)) this.serve(definition);
  }

  stop(): void {
    this.unsubscribe();
    this.queue.stop();
  }

  private onChange(change: Change): void {
    if (change.resource.group !== DEFINITIONS.group || change.resource.plural !== DEFINITIONS.plural) return;
    if (change.type === 'DELETED') this.retire(definitionName(change.object));
    else this.serve(change.object);
  }

  private serve(definition: KubeObject): void {
    const name = definitionName(definition);
    this.catalog.define(name, servedTypes(definition));
    if (!isEstablished(definition)) this.queue.add(name);
  }

  /** Deletes every object of the definition's resource (their watchers see DELETED), then its types. */
  private retire(name: string): void {
    const types = this.catalog.definedBy(name);
    const type = types[0];
    if (type) {
      for (const object of this.store.list(type)) {
        this.store.remove(type, object.metadata.namespace, object.metadata.name!);
      }
    }
    this.catalog.forget(name);
  }

  private writeStatus(name: string): void {
    const definition = this.store.get(DEFINITIONS, undefined, name);
    if (!definition || isEstablished(definition)) return;
    const spec = definition.spec as { names?: object; versions?: { name?: string; storage?: boolean }[] };
    const now = timestamp(this.store.now());
    const condition = (type: string, reason: string, message: string) => ({
      type,
      status: 'True',
      lastTransitionTime: now,
      reason,
      message,
    });
    this.store.update(DEFINITIONS, {
      ...definition,
      status: {
        conditions: [
          condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
          condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
        ],
        acceptedNames: spec.names ?? {},
        storedVersions: (spec.versions ?? []).filter((v) => v.storage).map((v) => v.name),
      },
    });
  }
}

function isEstablished(definition: KubeObject): boolean {
  const conditions = (definition.status as { conditions?: { type?: string; status?: string }[] } | undefined)
    ?.conditions;
  return conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
}
