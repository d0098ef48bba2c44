/**
 * Unknown and duplicate fields on write, as kube-apiserver handles them.
 *
 * The apiserver decodes every create, update and patch result into the Go structs of the kind, so
 * fields the structs lack are dropped. The `fieldValidation` query parameter decides whether it says
 * so: `Strict` fails the request, `Warn` (the default since 1.27, when the ServerSideFieldValidation
 * gate went GA) answers with one `Warning: 299 - "..."` header per problem, `Ignore` says nothing.
 * The problems are the texts of sigs.k8s.io/json's strict decoder (`unknown field "spec.foo"`,
 * `duplicate field "data.a"`); how a Strict failure is reported depends on the verb, see
 * `decodeError` (handlers/create.go and update.go) and `patchDecodeError` (handlers/patch.go).
 *
 * Pure: no I/O; `pruneUnknownFields` and `strictDecodingErrors` mutate only the object they are given.
 */
import { ApiError } from './errors.js';
import { goQuote } from './go-format.js';
import { isPlainObject, type KubeObject } from './objects.js';
import { schemaNameOf } from './openapi.js';
import { SCALAR_SCHEMAS, TYPE_DEFS } from './openapi-schemas.js';
import type { ResourceType } from './resources.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The options kind each verb decodes its query into, named in the error for a bad `fieldValidation`. */
export type WriteOptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

/**
 * The directive of a write request. Absent or empty means `Warn`; anything else than the three
 * values fails like the apiserver's ValidateFieldValidation (a 422 on the options kind).
 */
export function fieldValidationMode(query: URLSearchParams, optionsKind: WriteOptionsKind): FieldValidation {
  const value = query.get('fieldValidation') ?? '';
  if (value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  // sets.NewString("", "Ignore", "Warn", "Strict").List(), quoted with strconv.Quote.
  const detail = `Unsupported value: ${goQuote(value)}: supported values: "", "Ignore", "Strict", "Warn"`;
  return invalidOptions(optionsKind, detail);
}

function invalidOptions(optionsKind: WriteOptionsKind, detail: string): never {
  throw new ApiError(422, 'Invalid', `${optionsKind}.meta.k8s.io "" is invalid: fieldValidation: ${detail}`, {
    group: 'meta.k8s.io',
    kind: optionsKind,
    causes: [{ reason: 'FieldValueNotSupported', message: detail, field: 'fieldValidation' }],
  });
}

// ---------------------------------------------------------------------------------------------
// Schemas

const PRESERVE = 'x-kubernetes-preserve-unknown-fields';

/**
 * How a value decodes: into a struct (unknown keys dropped), a map or list of something, or as-is
 * (scalars, and what Go keeps raw: free-form objects, RawExtension, FieldsV1, IntOrString, Time).
 */
type Shape =
  | { kind: 'struct'; name: string }
  | { kind: 'map'; of: Shape }
  | { kind: 'list'; of: Shape }
  | { kind: 'opaque' };

const OPAQUE: Shape = { kind: 'opaque' };

function shapeOf(type: string, extensions?: Record<string, unknown>): Shape {
  if (extensions?.[PRESERVE] === true) return OPAQUE;
  if (type.startsWith('[]')) return { kind: 'list', of: shapeOf(type.slice(2)) };
  if (type.startsWith('{}')) return { kind: 'map', of: shapeOf(type.slice(2)) };
  if (type.startsWith('#')) {
    const name = type.slice(1);
    if (SCALAR_SCHEMAS[name]) return OPAQUE;
    const def = TYPE_DEFS[name];
    if (!def || def.extensions?.[PRESERVE] === true) return OPAQUE;
    return { kind: 'struct', name };
  }
  return OPAQUE;
}

// ---------------------------------------------------------------------------------------------
// Pruning

/** What decoding one value found: unknown field paths, and the paths of the containers decoded typed. */
interface Walk {
  unknown: string[];
  typed: Set<string>;
}

function join(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function walk(value: unknown, shape: Shape, path: string, out: Walk): void {
  if (shape.kind === 'opaque' || value === null || value === undefined) return;
  if (shape.kind === 'list') {
    if (!Array.isArray(value)) return;
    out.typed.add(path);
    value.forEach((item, i) => {
      walk(item, shape.of, `${path}[${i}]`, out);
    });
    return;
  }
  if (!isPlainObject(value)) return;
  out.typed.add(path);
  if (shape.kind === 'map') {
    for (const [key, item] of Object.entries(value)) walk(item, shape.of, join(path, key), out);
    return;
  }
  const properties = TYPE_DEFS[shape.name]?.properties ?? {};
  for (const key of Object.keys(value)) {
    const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (!property) {
      out.unknown.push(join(path, key));
      delete value[key];
      continue;
    }
    walk(value[key], shapeOf(property[0], property[2]), join(path, key), out);
  }
}

function walkObject(type: Pick<ResourceType, 'group' | 'version' | 'kind'>, object: unknown): Walk {
  const out: Walk = { unknown: [], typed: new Set() };
  const name = schemaNameOf(type);
  if (TYPE_DEFS[name]) walk(object, { kind: 'struct', name }, '', out);
  return out;
}

/**
 * Drops every field the kind's Go structs lack, as decoding does, and returns their paths in the
 * apiserver's notation (`spec.foo`, `spec.containers[0].bar`, `metadata.labels` values are kept).
 * Mutates `object`, which the caller must own. Kinds without a schema are left alone.
 */
export function pruneUnknownFields(
  type: Pick<ResourceType, 'group' | 'version' | 'kind'>,
  object: KubeObject | Record<string, unknown>,
): string[] {
  return walkObject(type, object).unknown;
}

// ---------------------------------------------------------------------------------------------
// Duplicate keys, which JSON.parse silently resolves (last one wins, as Go's decoder does too)

interface KeyScan {
  /** Offset of the first occurrence of every key path in the document. */
  first: Map<string, number>;
  duplicates: { path: string; parent: string; offset: number }[];
}

/** Scans JSON text for duplicate object keys, with paths in the strict decoder's notation. */
function scanKeys(text: string): KeyScan {
  const scan: KeyScan = { first: new Map(), duplicates: [] };
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const offset = i;
        const key = string();
        const keyPath = join(path, key);
        if (seen.has(key)) scan.duplicates.push({ path: keyPath, parent: path, offset });
        else {
          seen.add(key);
          if (!scan.first.has(keyPath)) scan.first.set(keyPath, offset);
        }
        ws();
        i++; // colon
        value(keyPath);
        ws();
        if (text[i++] !== ',') return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        ws();
        if (text[i++] !== ',') return;
      }
    }
    if (c === '"') {
      string();
      return;
    }
    while (i < text.length && !',}] \t\n\r'.includes(text[i]!)) i++;
  };
  try {
    value('');
  } catch {
    // Malformed text has already failed JSON.parse upstream; nothing to add.
  }
  return scan;
}

/** Paths of keys repeated in the same JSON object, anywhere in `text`. */
export function duplicateFields(text: string): string[] {
  return scanKeys(text).duplicates.map((d) => d.path);
}

// ---------------------------------------------------------------------------------------------
// Strict decoding

/**
 * What sigs.k8s.io/json's strict decoding reports for `object` decoded as `type`, in document
 * order: `unknown field "spec.foo"` and, given the JSON text the object was parsed from,
 * `duplicate field "data.a"` for keys repeated where the decoder reads them typed. Prunes `object`.
 */
export function strictDecodingErrors(
  type: Pick<ResourceType, 'group' | 'version' | 'kind'>,
  object: unknown,
  jsonText?: string,
): string[] {
  const found = walkObject(type, object);
  const errors: { offset: number; text: string }[] = [];
  const scan = jsonText === undefined ? undefined : scanKeys(jsonText);
  found.unknown.forEach((path, n) => {
    errors.push({ offset: scan?.first.get(path) ?? n, text: `unknown field "${path}"` });
  });
  for (const d of scan?.duplicates ?? []) {
    if (found.typed.has(d.parent)) errors.push({ offset: d.offset, text: `duplicate field "${d.path}"` });
  }
  // Array.prototype.sort is stable: without a text, unknown fields keep their walk order.
  return errors.sort((a, b) => a.offset - b.offset).map((e) => e.text);
}

/** runtime.NewStrictDecodingError(errs).Error(). */
export function strictDecodingMessage(errors: string[]): string {
  return `strict decoding error: ${errors.join(', ')}`;
}

/**
 * A Strict create or update with bad fields (handlers transformDecodeError): 400 BadRequest,
 * `ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "foo"`.
 */
export function decodeError(type: Pick<ResourceType, 'version' | 'kind'>, errors: string[]): ApiError {
  return new ApiError(
    400,
    'BadRequest',
    `${type.kind} in version ${goQuote(type.version)} cannot be handled as a ${type.kind}: ${strictDecodingMessage(errors)}`,
  );
}

/**
 * A Strict patch whose result has bad fields (handlers/patch.go): 422 Invalid on an empty kind and
 * name, the field `patch`, and as value the patched JSON (json and merge patches) or the patch map
 * printed with `%+v` (strategic merge patches):
 * ` "" is invalid: patch: Invalid value: "{...}": strict decoding error: unknown field "foo"`.
 */
export function patchDecodeError(value: string, errors: string[]): ApiError {
  const detail = `Invalid value: ${goQuote(value)}: ${strictDecodingMessage(errors)}`;
  return new ApiError(422, 'Invalid', ` "" is invalid: patch: ${detail}`, {
    causes: [{ reason: 'FieldValueInvalid', message: detail, field: 'patch' }],
  });
}

/**
 * The strict problems of a JSON patch's operations themselves (handlers/patch.go decodes them into
 * `[]jsonPatchOp` and prefixes each error with `json patch `).
 */
export function jsonPatchOperationErrors(patch: unknown, patchText?: string): string[] {
  if (!Array.isArray(patch)) return [];
  const errors: { offset: number; text: string }[] = [];
  const known = new Set(['op', 'path', 'from', 'value']);
  const scan = patchText === undefined ? undefined : scanKeys(patchText);
  patch.forEach((op, n) => {
    if (!isPlainObject(op)) return;
    for (const key of Object.keys(op)) {
      if (known.has(key)) continue;
      const path = `[${n}].${key}`;
      errors.push({ offset: scan?.first.get(path) ?? n, text: `json patch unknown field "${path}"` });
    }
  });
  for (const d of scan?.duplicates ?? []) {
    if (/^\[\d+\]$/.test(d.parent) && known.has(d.path.slice(d.parent.length + 1))) {
      errors.push({ offset: d.offset, text: `json patch duplicate field "${d.path}"` });
    }
  }
  return errors.sort((a, b) => a.offset - b.offset).map((e) => e.text);
}

/** The `Warning` header value the apiserver sends for one warning text: `299 - "unknown field \"x\""`. */
export function warningHeaderValue(text: string): string {
  return `299 - "${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
