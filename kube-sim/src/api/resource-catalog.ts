/**
 * The resource types one kube-sim serves: the built-in ones, and those its established
 * CustomResourceDefinitions add. Per server, so two kube-sims in one process never see each
 * other's custom resources.
 */
import { apiVersionOf, RESOURCES, type ResourceType } from './resources.js';

export class ResourceCatalog {
  /** Served versions of custom resources, by the name of the definition that declares them. */
  readonly #custom = new Map<string, readonly ResourceType[]>();

  /** Every type, built-in ones first, in the order discovery lists them. */
  all(): readonly ResourceType[] {
    if (this.#custom.size === 0) return RESOURCES;
    return [...RESOURCES, ...[...this.#custom.values()].flat()];
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.all().find((r) => r.group === group && r.version === version && r.plural === plural);
  }

  forKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.all().find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
  }

  /** The types a definition serves now (replacing what it served before). */
  define(definition: string, types: readonly ResourceType[]): void {
    this.#custom.set(definition, types);
  }

  /** Stops serving a definition's types; returns them (empty when it served none). */
  forget(definition: string): readonly ResourceType[] {
    const types = this.#custom.get(definition) ?? [];
    this.#custom.delete(definition);
    return types;
  }

  definedBy(definition: string): readonly ResourceType[] {
    return this.#custom.get(definition) ?? [];
  }
}
