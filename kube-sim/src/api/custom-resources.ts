/**
 * What a CustomResourceDefinition (apiextensions.k8s.io/v1) makes the server serve: one resource
 * type per served version, and how objects of it are checked against the version's structural
 * schema (types and required fields) and pruned of fields the schema does not declare, as
 * kube-apiserver's apiextensions server does.
 */
import type { FieldError } from './errors.js';
import { isPlainObject, type KubeObject } from './objects.js';
import type { JsonSchema, PrinterColumn, ResourceType } from './resources.js';

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

type Fields = Record<string, unknown>;
const fields = (value: unknown): Fields => (isPlainObject(value) ? value : {});
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** The definition's name, `<plural>.<group>`, as the apiserver requires it to be. */
export function definitionName(crd: KubeObject): string {
  return crd.metadata.name ?? '';
}

/** The resource types a definition serves, one per version with `served: true`. */
export function servedTypes(crd: KubeObject): ResourceType[] {
  const spec = fields(crd.spec);
  const names = fields(spec.names);
  const kind = String(names.kind ?? '');
  const plural = String(names.plural ?? '');
  const versions = Array.isArray(spec.versions) ? spec.versions.map(fields) : [];
  return versions
    .filter((version) => version.served === true)
    .map((version) => {
      const subresources = fields(version.subresources);
      const shortNames = strings(names.shortNames);
      const categories = strings(names.categories);
      return {
        group: String(spec.group ?? ''),
        version: String(version.name ?? ''),
        kind,
        listKind: String(names.listKind ?? `${kind}List`),
        plural,
        singular: String(names.singular ?? kind.toLowerCase()),
        namespaced: spec.scope === 'Namespaced',
        verbs: CRUD,
        ...(shortNames.length > 0 && { shortNames }),
        ...(categories.length > 0 && { categories }),
        subresources:
          'status' in subresources ? [{ name: 'status', kind, verbs: ['get', 'patch', 'update'] }] : [],
        custom: {
          definition: definitionName(crd),
          printerColumns: printerColumnsOf(version.additionalPrinterColumns),
          schema: isPlainObject(fields(version.schema).openAPIV3Schema)
            ? (fields(version.schema).openAPIV3Schema as JsonSchema)
            : undefined,
        },
      };
    });
}

function printerColumnsOf(value: unknown): PrinterColumn[] {
  if (!Array.isArray(value)) return [];
  return value.map(fields).map((column) => ({
    name: String(column.name ?? ''),
    type: String(column.type ?? 'string'),
    jsonPath: String(column.jsonPath ?? ''),
    ...(typeof column.format === 'string' && { format: column.format }),
    ...(typeof column.description === 'string' && { description: column.description }),
    ...(typeof column.priority === 'number' && { priority: column.priority }),
  }));
}

/** Errors in a CustomResourceDefinition that would leave the server unable to serve it. */
export function definitionErrors(crd: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = fields(crd.spec);
  const names = fields(spec.names);
  const required = (field: string) =>
    errors.push({ type: 'FieldValueRequired', field, detail: 'Required value' });
  if (!spec.group) required('spec.group');
  if (!names.plural) required('spec.names.plural');
  if (!names.kind) required('spec.names.kind');
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'spec.scope',
      detail: `Unsupported value: ${JSON.stringify(spec.scope ?? '')}: supported values: "Cluster", "Namespaced"`,
    });
  }
  const expectedName = `${String(names.plural ?? '')}.${String(spec.group ?? '')}`;
  if (names.plural && spec.group && crd.metadata.name !== expectedName) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      detail: `Invalid value: ${JSON.stringify(crd.metadata.name ?? '')}: must be spec.names.plural+"."+spec.group`,
    });
  }
  const versions = Array.isArray(spec.versions) ? spec.versions.map(fields) : [];
  if (versions.length === 0) required('spec.versions');
  const storage = versions.filter((version) => version.storage === true).length;
  if (versions.length > 0 && storage !== 1) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.versions',
      detail: `Invalid value: ${JSON.stringify(versions.map((version) => version.name))}: must have exactly one version marked as storage version`,
    });
  }
  return errors;
}

/**
 * Checks an object against its version's structural schema and prunes what the schema does not
 * declare (metadata, apiVersion and kind are the server's own and always kept); returns the
 * errors in the apiserver's wording.
 */
export function checkAgainstSchema(schema: JsonSchema | undefined, object: KubeObject): FieldError[] {
  if (schema === undefined) return [];
  const errors: FieldError[] = [];
  const properties = schema.properties ?? {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'metadata' || key === 'apiVersion' || key === 'kind') continue;
    const property = properties[key];
    if (property === undefined) {
      if (schema['x-kubernetes-preserve-unknown-fields'] !== true) delete object[key];
      continue;
    }
    checkValue(property, value, key, errors);
  }
  for (const key of schema.required ?? []) {
    if (key !== 'metadata' && key !== 'apiVersion' && key !== 'kind' && object[key] === undefined) {
      errors.push({ type: 'FieldValueRequired', field: key, detail: 'Required value' });
    }
  }
  return errors;
}

function checkValue(schema: JsonSchema, value: unknown, path: string, errors: FieldError[]): void {
  if (value === null || value === undefined) return;
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (typeof value !== 'string' && !Number.isInteger(value))
      typeError(path, value, 'integer or string', errors);
    return;
  }
  const actual = typeOf(value);
  const expected = schema.type;
  if (expected !== undefined && actual !== expected && !(expected === 'number' && actual === 'integer')) {
    typeError(path, value, expected, errors);
    return;
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items) {
      for (const [index, item] of value.entries()) checkValue(items, item, `${path}[${index}]`, errors);
    }
    return;
  }
  if (!isPlainObject(value) || schema['x-kubernetes-embedded-resource'] === true) return;
  const properties = schema.properties;
  const additional = schema.additionalProperties;
  for (const [key, item] of Object.entries(value)) {
    const property =
      properties?.[key] ?? (isPlainObject(additional) ? (additional as JsonSchema) : undefined);
    if (property !== undefined) checkValue(property, item, `${path}.${key}`, errors);
    else if (additional !== true && schema['x-kubernetes-preserve-unknown-fields'] !== true)
      delete value[key];
  }
  for (const key of schema.required ?? []) {
    if (value[key] === undefined) {
      errors.push({ type: 'FieldValueRequired', field: `${path}.${key}`, detail: 'Required value' });
    }
  }
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

function typeError(path: string, value: unknown, expected: string, errors: FieldError[]): void {
  errors.push({
    type: 'FieldValueInvalid',
    field: path,
    detail: `Invalid value: ${JSON.stringify(typeOf(value))}: ${path} in body must be of type ${expected}: ${JSON.stringify(typeOf(value))}`,
  });
}
