/**
 * Checks Kubernetes objects against the OpenAPI v3 documents an apiserver publishes (kube-sim's in
 * these tests), the way `kubectl --validate=strict` and the server's strict field validation see
 * them: the apiVersion and kind are served, every field is one the schema knows, required fields are
 * there and every value has its schema's type. It reports every problem at once, with its path.
 */

type Schema = {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
};

interface GroupVersionDocument {
  components?: { schemas?: Record<string, Schema> };
}

/** Fetches a path of the apiserver (`/openapi/v3`, then the documents it lists) as parsed JSON. */
export type FetchJson = (path: string) => Promise<unknown>;

const INT32 = 2 ** 31;

export class OpenApiObjectValidator {
  readonly #documents = new Map<string, Promise<GroupVersionDocument>>();

  private constructor(
    readonly fetchJson: FetchJson,
    readonly discovery: Record<string, { serverRelativeURL: string }>,
  ) {}

  static async create(fetchJson: FetchJson): Promise<OpenApiObjectValidator> {
    const root = (await fetchJson('/openapi/v3')) as {
      paths?: Record<string, { serverRelativeURL: string }>;
    };
    if (!root.paths) throw new Error('/openapi/v3 lists no group versions');
    return new OpenApiObjectValidator(fetchJson, root.paths);
  }

  /** Every problem with the object, as `<path>: <what is wrong>`; none when it is valid. */
  async validate(object: Record<string, unknown>): Promise<string[]> {
    const { apiVersion, kind } = object;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string')
      return ['apiVersion and kind are required'];
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const key = group ? `apis/${group}/${version}` : `api/${version}`;
    const entry = this.discovery[key];
    if (!entry) return [`apiVersion ${apiVersion} is not served`];
    let document = this.#documents.get(key);
    if (!document) {
      document = this.fetchJson(entry.serverRelativeURL) as Promise<GroupVersionDocument>;
      this.#documents.set(key, document);
    }
    const schemas = (await document).components?.schemas ?? {};
    const root = Object.values(schemas).find((schema) =>
      schema['x-kubernetes-group-version-kind']?.some(
        (gvk) => gvk.group === group && gvk.version === version && gvk.kind === kind,
      ),
    );
    if (!root) return [`kind ${kind} is not served in ${apiVersion}`];
    const problems: string[] = [];
    new SchemaWalk(schemas, problems).check(object, root, '');
    return problems;
  }
}

class SchemaWalk {
  constructor(
    readonly schemas: Record<string, Schema>,
    readonly problems: string[],
  ) {}

  #resolve(schema: Schema): Schema {
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      const target = this.schemas[name];
      if (!target) throw new Error(`the document references ${schema.$ref}, which it does not hold`);
      return this.#resolve(target);
    }
    // kube-openapi wraps a reference that has siblings (a description) in allOf.
    if (schema.allOf?.length === 1) return this.#resolve(schema.allOf[0]!);
    return schema;
  }

  check(value: unknown, unresolved: Schema, path: string): void {
    // An explicit null is how YAML writes an absent optional field; the apiserver reads it so.
    if (value === null || value === undefined) return;
    const schema = this.#resolve(unresolved);
    const at = path || '.';
    if (schema['x-kubernetes-int-or-string'] || schema.format === 'int-or-string') {
      if (typeof value !== 'string' && !Number.isInteger(value))
        this.#problem(at, value, 'an integer or a string');
      return;
    }
    if (schema.enum && !schema.enum.includes(value)) {
      this.problems.push(
        `${at}: ${JSON.stringify(value)} is not one of ${schema.enum.map(String).join(', ')}`,
      );
    }
    switch (schema.type) {
      case 'string':
        if (typeof value !== 'string') this.#problem(at, value, 'a string');
        else if (schema.format === 'byte' && !/^[A-Za-z0-9+/]*={0,2}$/.test(value.replace(/\s/g, ''))) {
          this.problems.push(`${at}: is not base64`);
        }
        return;
      case 'integer':
        if (!Number.isInteger(value)) this.#problem(at, value, 'an integer');
        else if (schema.format === 'int32' && ((value as number) >= INT32 || (value as number) < -INT32)) {
          this.problems.push(`${at}: ${value} does not fit in an int32`);
        }
        return;
      case 'number':
        if (typeof value !== 'number') this.#problem(at, value, 'a number');
        return;
      case 'boolean':
        if (typeof value !== 'boolean') this.#problem(at, value, 'a boolean');
        return;
      case 'array':
        if (!Array.isArray(value)) this.#problem(at, value, 'a list');
        else if (schema.items) {
          for (const [i, item] of value.entries()) this.check(item, schema.items, `${path}[${i}]`);
        }
        return;
      case 'object':
        this.#object(value, schema, path);
        return;
      default:
        return;
    }
  }

  #object(value: unknown, schema: Schema, path: string): void {
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.#problem(path || '.', value, 'an object');
      return;
    }
    const record = value as Record<string, unknown>;
    const { properties, additionalProperties } = schema;
    if (schema['x-kubernetes-preserve-unknown-fields']) return;
    for (const field of schema.required ?? []) {
      if (record[field] === undefined || record[field] === null) {
        this.problems.push(`${path}.${field}: required field is missing`);
      }
    }
    for (const [field, item] of Object.entries(record)) {
      const fieldPath = properties ? `${path}.${field}` : `${path}[${field}]`;
      if (properties?.[field]) this.check(item, properties[field], fieldPath);
      else if (typeof additionalProperties === 'object') this.check(item, additionalProperties, fieldPath);
      else if (properties || additionalProperties === false)
        this.problems.push(`${fieldPath}: unknown field`);
      // An object schema with neither (RawExtension, FieldsV1) takes any content.
    }
  }

  #problem(path: string, value: unknown, expected: string): void {
    this.problems.push(`${path}: ${JSON.stringify(value)} is not ${expected}`);
  }
}
