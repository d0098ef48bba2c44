/**
 * The template functions the relay's chart calls: text/template's own (and, or, not, eq, ne, len,
 * print, printf), Sprig's (default, empty, quote, indent, nindent, join, trunc, trimSuffix, int,
 * sha256sum, b64enc) and Helm's (include, required, toYaml), each with the behaviour of the Go
 * original for the values a chart passes. A chart that calls anything else fails to render.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { TemplateFunction } from './go-template-executor.js';
import { basicEqual, formatValue, type GoValue, goTypeName, isEmpty, isMap, isTrue } from './go-values.js';

function arity(name: string, args: GoValue[], count: number): void {
  if (args.length !== count)
    throw new Error(`wrong number of args for ${name}: want ${count} got ${args.length}`);
}

function asString(name: string, value: GoValue): string {
  if (typeof value !== 'string') {
    throw new Error(`wrong type for value; expected string; got ${goTypeName(value)} (in ${name})`);
  }
  return value;
}

/** Sprig's `toInt` (spf13/cast): float64s truncate, text parses, anything else is 0. */
function toInt(value: GoValue): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'string') {
    const text = value.trim().replace(/\.0*$/, '');
    return /^[+-]?\d+$/.test(text) ? BigInt(text) : 0n;
  }
  return 0n;
}

/** Go's `%q` (strconv.Quote): printable text as it is, the rest escaped. */
function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\t') out += '\\t';
    else if (char === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** Go's fmt.Sprintf for the verbs charts use: %s, %v, %d, %q and %%. */
function sprintf(format: string, args: GoValue[]): string {
  let next = 0;
  const text = format.replace(/%([%svdq])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    if (next >= args.length) return `%!${verb}(MISSING)`;
    const arg = args[next++];
    if (verb === 'd') {
      return typeof arg === 'bigint' ? String(arg) : `%!d(${goTypeName(arg)}=${formatValue(arg)})`;
    }
    if (verb === 'q') return goQuote(formatValue(arg));
    return formatValue(arg);
  });
  const extra = args.slice(next);
  return extra.length
    ? `${text}%!(EXTRA ${extra.map((a) => `${goTypeName(a)}=${formatValue(a)}`).join(', ')})`
    : text;
}

/** What Go's JSON encoding (which Helm's toYaml goes through) makes of a value. */
function toJsonValue(value: GoValue): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  return value;
}

function indent(spaces: GoValue, text: GoValue): string {
  const pad = ' '.repeat(Number(toInt(spaces)));
  return pad + formatValue(text).replaceAll('\n', `\n${pad}`);
}

export const HELM_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  not: (_, ...args) => {
    arity('not', args, 1);
    return !isTrue(args[0]);
  },
  eq: (_, ...args) => {
    if (args.length < 2) throw new Error('missing argument for comparison');
    const [left, ...rights] = args;
    return rights.some((right) => basicEqual(left, right));
  },
  ne: (_, ...args) => {
    arity('ne', args, 2);
    return !basicEqual(args[0], args[1]);
  },
  len: (_, ...args) => {
    arity('len', args, 1);
    const [value] = args;
    if (typeof value === 'string') return BigInt(Buffer.byteLength(value));
    if (Array.isArray(value)) return BigInt(value.length);
    if (isMap(value)) return BigInt(Object.keys(value).length);
    throw new Error(`len of type ${goTypeName(value)}`);
  },
  print: (_, ...args) =>
    // fmt.Sprint puts a space between operands when neither is a string.
    args.reduce<string>((text, arg, i) => {
      const spaced = i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string';
      return text + (spaced ? ' ' : '') + formatValue(arg);
    }, ''),
  printf: (_, format, ...args) => sprintf(asString('printf', format), args),

  default: (_, ...args) => {
    if (args.length === 0) throw new Error('wrong number of args for default: want at least 1 got 0');
    const [fallback, given] = args;
    return args.length < 2 || isEmpty(given) ? fallback : given;
  },
  empty: (_, ...args) => {
    arity('empty', args, 1);
    return isEmpty(args[0]);
  },
  quote: (_, ...args) =>
    args
      .filter((arg) => arg !== null && arg !== undefined)
      .map((arg) => goQuote(formatValue(arg)))
      .join(' '),
  indent: (_, ...args) => {
    arity('indent', args, 2);
    return indent(args[0], args[1]);
  },
  nindent: (_, ...args) => {
    arity('nindent', args, 2);
    return `\n${indent(args[0], args[1])}`;
  },
  join: (_, ...args) => {
    arity('join', args, 2);
    const [separator, list] = args;
    const items = Array.isArray(list) ? list : list === null || list === undefined ? [] : [list];
    return items
      .filter((item) => item !== null && item !== undefined)
      .map(formatValue)
      .join(formatValue(separator));
  },
  trunc: (_, ...args) => {
    arity('trunc', args, 2);
    const length = Number(toInt(args[0]));
    const text = formatValue(args[1]);
    if (length < 0) return text.length + length > 0 ? text.slice(text.length + length) : text;
    return text.length > length ? text.slice(0, length) : text;
  },
  trimSuffix: (_, ...args) => {
    arity('trimSuffix', args, 2);
    const [suffix, text] = [formatValue(args[0]), formatValue(args[1])];
    return suffix && text.endsWith(suffix) ? text.slice(0, -suffix.length) : text;
  },
  int: (_, ...args) => {
    arity('int', args, 1);
    return toInt(args[0]);
  },
  sha256sum: (_, ...args) => {
    arity('sha256sum', args, 1);
    return createHash('sha256').update(asString('sha256sum', args[0])).digest('hex');
  },
  b64enc: (_, ...args) => {
    arity('b64enc', args, 1);
    return Buffer.from(formatValue(args[0])).toString('base64');
  },

  include: (context, ...args) => {
    arity('include', args, 2);
    return context.execute(asString('include', args[0]), args[1]);
  },
  required: (_, ...args) => {
    arity('required', args, 2);
    const [message, value] = args;
    if (value === null || value === undefined || value === '') throw new Error(formatValue(message));
    return value;
  },
  // sigs.k8s.io/yaml: JSON first (keys sorted, ints and floats alike), then YAML 1.1, which quotes
  // strings such as "off" and "yes" that a YAML 1.1 reader (kubectl) would take for booleans.
  toYaml: (_, ...args) => {
    arity('toYaml', args, 1);
    return stringify(toJsonValue(args[0]), {
      version: '1.1',
      sortMapEntries: true,
      indentSeq: false,
    }).replace(/\n$/, '');
  },
};
