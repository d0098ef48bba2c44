/**
 * Label and field selectors, parsed and matched as k8s.io/apimachinery/pkg/labels and /fields do,
 * with the apiserver's 400 texts for the `labelSelector` and `fieldSelector` query parameters.
 */
import { badRequest } from './errors.js';
import { goQuote } from './go-format.js';
import { isPlainObject, type KubeObject } from './objects.js';
import type { ResourceType } from './resources.js';
import { isQualifiedName, isValidLabelValue } from './validation.js';

export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

/** `nothing` is what a nil metav1.LabelSelector converts to: it matches no object. */
export interface LabelSelector {
  requirements: LabelRequirement[];
  nothing?: boolean;
}

export function matches(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  if (selector.nothing) return false;
  const set = labels ?? {};
  return selector.requirements.every((r) => requirementMatches(r, set));
}

function requirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value as string);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value as string);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^[-+]?\d+$/.test(value as string) || r.values.length !== 1) return false;
      const actual = Number(value);
      const bound = Number(r.values[0]);
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Label selector strings (labels.Parse)

type Token =
  | 'error'
  | 'end'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'identifier'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

const LITERAL_TOKENS: Record<string, Token> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

interface Scanned {
  tok: Token;
  lit: string;
}

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSpecial(ch: string): boolean {
  return '=!(),><'.includes(ch);
}

function lex(text: string): Scanned[] {
  const items: Scanned[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && isWhitespace(text[pos] as string)) pos++;
    if (pos >= text.length) {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    if (isSpecial(text[pos] as string)) {
      let buffer = '';
      let last: Scanned | undefined;
      while (pos < text.length && isSpecial(text[pos] as string)) {
        buffer += text[pos];
        const tok = LITERAL_TOKENS[buffer];
        if (tok) last = { tok, lit: buffer };
        else if (last) break;
        pos++;
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` });
    } else {
      const start = pos;
      while (pos < text.length && !isSpecial(text[pos] as string) && !isWhitespace(text[pos] as string))
        pos++;
      const word = text.slice(start, pos);
      items.push({ tok: LITERAL_TOKENS[word] ?? 'identifier', lit: word });
    }
  }
}

class SelectorSyntaxError extends Error {}

class Parser {
  private position = 0;

  constructor(private readonly items: Scanned[]) {}

  /** In value position the keywords `in` and `notin` are plain identifiers. */
  private lookahead(values = true): Scanned {
    const item = this.items[this.position] as Scanned;
    return values && (item.tok === 'in' || item.tok === 'notin')
      ? { tok: 'identifier', lit: item.lit }
      : item;
  }

  private consume(values = true): Scanned {
    const item = this.lookahead(values);
    this.position++;
    return item;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead();
      if (tok === 'end') return requirements;
      if (tok !== 'identifier' && tok !== '!') {
        throw new SelectorSyntaxError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (error) {
        throw new SelectorSyntaxError(`unable to parse requirement: ${(error as Error).message}`);
      }
      const next = this.consume();
      if (next.tok === 'end') return requirements;
      if (next.tok !== ',')
        throw new SelectorSyntaxError(`found '${next.lit}', expected: ',' or 'end of string'`);
      const after = this.lookahead();
      if (after.tok !== 'identifier' && after.tok !== '!') {
        throw new SelectorSyntaxError(`found '${after.lit}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    let { tok, lit } = this.consume();
    let notExists = false;
    if (tok === '!') {
      notExists = true;
      ({ tok, lit } = this.consume());
    }
    if (tok !== 'identifier') throw new Error(`found '${lit}', expected: identifier`);
    const keyErrors = isQualifiedName(lit);
    if (keyErrors.length) throw new Error(`<nil>: Invalid value: ${goQuote(lit)}: ${keyErrors.join('; ')}`);
    const key = lit;
    const next = this.lookahead().tok;
    if (notExists || next === 'end' || next === ',') {
      return newRequirement(key, notExists ? '!' : 'exists', []);
    }
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, operator, [...values].sort());
  }

  private parseOperator(): LabelOperator {
    const { tok, lit } = this.consume(false);
    switch (tok) {
      case 'in':
      case 'notin':
      case '=':
      case '==':
      case '!=':
        return tok;
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw new Error(`found '${lit}', expected: ${BINARY_OPERATORS}`);
    }
  }

  private parseValues(): Set<string> {
    const open = this.consume();
    if (open.tok !== '(') throw new Error(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead();
    if (tok === ')') {
      this.consume();
      return new Set(['']);
    }
    if (tok !== 'identifier' && tok !== ',')
      throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
    const values = this.parseIdentifiers();
    if (this.consume().tok !== ')') throw new Error(`found '${lit}', expected: ')'`);
    return values;
  }

  private parseIdentifiers(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume();
      if (tok === 'identifier') {
        values.add(lit);
        const next = this.lookahead();
        if (next.tok === ',') continue;
        if (next.tok === ')') return values;
        throw new Error(`found '${next.lit}', expected: ',' or ')'`);
      }
      if (tok !== ',') throw new Error(`found '${lit}', expected: ',', or identifier`);
      if (values.size === 0) values.add('');
      const next = this.lookahead().tok;
      if (next === ')') {
        values.add('');
        return values;
      }
      if (next === ',') values.add('');
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead().tok;
    if (next === 'end' || next === ',') return new Set(['']);
    const { tok, lit } = this.consume();
    if (tok === 'identifier') return new Set([lit]);
    throw new Error(`found '${lit}', expected: identifier`);
  }
}

/** labels.NewRequirement's checks; the message joins field errors as an aggregate does. */
function newRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errors: string[] = [];
  if ((operator === 'in' || operator === 'notin') && values.length === 0) {
    errors.push(`values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`);
  }
  if ((operator === '=' || operator === '==' || operator === '!=') && values.length !== 1) {
    errors.push(
      `values: Invalid value: ${goStrings(values)}: exact-match compatibility requires one single value`,
    );
  }
  if (operator === 'gt' || operator === 'lt') {
    if (values.length !== 1) {
      errors.push(
        `values: Invalid value: ${goStrings(values)}: for 'Gt', 'Lt' operators, exactly one value is required`,
      );
    }
    values.forEach((value, i) => {
      if (!/^[-+]?\d+$/.test(value)) {
        errors.push(
          `values[${i}]: Invalid value: ${goQuote(value)}: for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      }
    });
  }
  values.forEach((value, i) => {
    const messages = isValidLabelValue(value);
    if (messages.length)
      errors.push(`values[${i}][${key}]: Invalid value: ${goQuote(value)}: ${messages.join('; ')}`);
  });
  if (errors.length === 1) throw new Error(errors[0]);
  if (errors.length > 1) throw new Error(`[${errors.join(', ')}]`);
  return { key, operator, values };
}

function goStrings(values: string[]): string {
  return `[]string{${values.map(goQuote).join(', ')}}`;
}

/** Parses a `labelSelector` query parameter; bad syntax is a 400 with labels.Parse's message. */
export function parseLabelSelector(text: string): LabelSelector {
  try {
    const requirements = new Parser(lex(text)).parse();
    return { requirements: requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
  } catch (error) {
    if (error instanceof SelectorSyntaxError) throw badRequest(error.message);
    throw error;
  }
}

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  /** Elements are metav1.LabelSelectorRequirement ({key, operator, values}); read defensively. */
  matchExpressions?: unknown[];
}

const SPEC_OPERATORS: Record<string, LabelOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * metav1.LabelSelectorAsSelector: absent selects nothing, empty selects everything. Throws a
 * plain Error with Go's text for an unknown operator or invalid key/values.
 */
export function labelSelectorFromSpec(spec: LabelSelectorSpec | null | undefined): LabelSelector {
  if (!spec) return { requirements: [], nothing: true };
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(spec.matchLabels ?? {})) {
    requirements.push(validatedRequirement(key, '=', [value]));
  }
  for (const expression of spec.matchExpressions ?? []) {
    const { key, operator: op, values } = isPlainObject(expression) ? expression : {};
    const operator = SPEC_OPERATORS[String(op ?? '')];
    if (!operator) throw new Error(`${goQuote(String(op ?? ''))} is not a valid label selector operator`);
    const strings = Array.isArray(values) ? values.map(String) : [];
    requirements.push(validatedRequirement(String(key ?? ''), operator, strings));
  }
  return { requirements };
}

function validatedRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const keyErrors = isQualifiedName(key);
  if (keyErrors.length) throw new Error(`key: Invalid value: ${goQuote(key)}: ${keyErrors.join('; ')}`);
  if ((operator === 'exists' || operator === '!') && values.length) {
    throw new Error(
      `values: Invalid value: ${goStrings(values)}: values set must be empty for exists and does not exist`,
    );
  }
  return newRequirement(key, operator, values);
}

// ---------------------------------------------------------------------------------------------
// Field selectors (fields.ParseSelector + the per-kind field label conversions)

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  kind: string;
  requirements: FieldRequirement[];
}

type FieldGetter = (object: KubeObject) => string;

const META_NAME: Record<string, FieldGetter> = { 'metadata.name': (o) => o.metadata.name ?? '' };
const META: Record<string, FieldGetter> = {
  ...META_NAME,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

function get(object: unknown, path: string): unknown {
  let value = object;
  for (const part of path.split('.')) value = isPlainObject(value) ? value[part] : undefined;
  return value;
}

function str(path: string): FieldGetter {
  return (o) => {
    const value = get(o, path);
    return value === undefined || value === null ? '' : String(value);
  };
}

/**
 * Kinds with a registered field label conversion (pkg/apis/core/v1/conversion.go, apps/v1) and
 * the values their registries expose for matching; other kinds only know metadata.name/namespace.
 */
const SELECTABLE: Record<string, Record<string, FieldGetter>> = {
  Pod: {
    ...META,
    'spec.nodeName': str('spec.nodeName'),
    'spec.restartPolicy': str('spec.restartPolicy'),
    'spec.schedulerName': str('spec.schedulerName'),
    'spec.serviceAccountName': str('spec.serviceAccountName'),
    'spec.hostNetwork': (o) => String(get(o, 'spec.hostNetwork') === true),
    'status.phase': str('status.phase'),
    'status.podIP': (o) => {
      const ips = get(o, 'status.podIPs');
      const first = Array.isArray(ips) ? ips[0] : undefined;
      return isPlainObject(first) && typeof first.ip === 'string' ? first.ip : str('status.podIP')(o);
    },
    // Accepted by the conversion, but the pod registry exposes no value for it.
    'status.podIPs': () => '',
    'status.nominatedNodeName': str('status.nominatedNodeName'),
  },
  Node: { ...META_NAME, 'spec.unschedulable': (o) => String(get(o, 'spec.unschedulable') === true) },
  Event: {
    ...META,
    'involvedObject.kind': str('involvedObject.kind'),
    'involvedObject.namespace': str('involvedObject.namespace'),
    'involvedObject.name': str('involvedObject.name'),
    'involvedObject.uid': str('involvedObject.uid'),
    'involvedObject.apiVersion': str('involvedObject.apiVersion'),
    'involvedObject.resourceVersion': str('involvedObject.resourceVersion'),
    'involvedObject.fieldPath': str('involvedObject.fieldPath'),
    reason: str('reason'),
    reportingComponent: str('reportingComponent'),
    source: (o) => str('source.component')(o) || str('reportingComponent')(o),
    type: str('type'),
  },
  Namespace: { ...META_NAME, 'status.phase': str('status.phase') },
  Secret: { ...META, type: str('type') },
  Service: { ...META, 'spec.clusterIP': str('spec.clusterIP'), 'spec.type': str('spec.type') },
  ReplicaSet: { ...META, 'status.replicas': (o) => String(get(o, 'status.replicas') ?? 0) },
};

const OPERATORS = ['!=', '==', '='] as const;

function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

function unescapeValue(value: string): string {
  let result = '';
  let escaped = false;
  for (const c of value) {
    if (escaped) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      result += c;
      escaped = false;
    } else if (c === '\\') escaped = true;
    else if (c === ',' || c === '=') {
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else result += c;
  }
  if (escaped) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return result;
}

/** Parses a `fieldSelector` query parameter for `type`; unknown fields are 400s with the conversion's text. */
export function parseFieldSelector(type: ResourceType, text: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  const parts = text ? splitTerms(text).sort() : [];
  for (const part of parts) {
    if (part === '') continue;
    const at = [...part].findIndex((_, i) => OPERATORS.some((op) => part.startsWith(op, i)));
    const op = at >= 0 ? OPERATORS.find((candidate) => part.startsWith(candidate, at)) : undefined;
    if (!op) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    requirements.push({
      field: part.slice(0, at),
      operator: op === '!=' ? '!=' : '=',
      value: unescapeValue(part.slice(at + op.length)),
    });
  }
  const fields = SELECTABLE[type.kind];
  for (const requirement of requirements) {
    if (requirement.field === 'spec.host' && type.kind === 'Pod') requirement.field = 'spec.nodeName';
    if (fields ? fields[requirement.field] : META[requirement.field]) continue;
    throw badRequest(
      fields
        ? `field label not supported: ${requirement.field}`
        : `${goQuote(requirement.field)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
    );
  }
  return { kind: type.kind, requirements };
}

export function matchesFields(selector: FieldSelector, object: KubeObject): boolean {
  const fields = SELECTABLE[selector.kind] ?? META;
  return selector.requirements.every((r) => {
    const value = fields[r.field]?.(object) ?? '';
    return r.operator === '=' ? value === r.value : value !== r.value;
  });
}
