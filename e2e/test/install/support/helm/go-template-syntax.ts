/**
 * The syntax of Go's text/template, as far as the relay's Helm chart uses it: text, actions with
 * trim markers (`{{- … -}}`), comments, pipelines of fields, variables, literals, function calls and
 * parenthesized pipelines, variable declarations and assignments, and the actions if / else if /
 * else, with / else, range (with `$i, $v :=`) / else, define, template and end. Anything else is a
 * parse error that names the template and line, so a chart that strays from this subset fails its
 * test instead of rendering differently from Helm.
 */

export type Operand =
  | { type: 'field'; names: string[] }
  | { type: 'variable'; name: string; names: string[] }
  | { type: 'function'; name: string }
  | { type: 'string'; value: string }
  | { type: 'int'; value: bigint }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'nil' }
  | { type: 'pipeline'; pipeline: Pipeline };

export interface Command {
  operands: Operand[];
}

export interface Pipeline {
  /** Variables declared (`:=`) or assigned (`=`) from the pipeline's value. */
  variables: string[];
  assigns: boolean;
  commands: Command[];
}

/** `if`, `with` or `range`: the body runs on the pipeline's value, `otherwise` ({{else}}) when it is empty. */
export interface ControlNode {
  type: 'if' | 'with' | 'range';
  line: number;
  pipeline: Pipeline;
  body: TemplateNode[];
  otherwise: TemplateNode[] | undefined;
}

export type TemplateNode =
  | { type: 'text'; text: string }
  | { type: 'action'; line: number; pipeline: Pipeline }
  | ControlNode
  | { type: 'template'; line: number; name: string; pipeline: Pipeline | undefined };

export interface ParsedTemplates {
  /** The file's own content. */
  body: TemplateNode[];
  /** Templates it defines with `{{ define "name" }}`. */
  defines: Map<string, TemplateNode[]>;
}

export class TemplateSyntaxError extends Error {}

type Token =
  | { type: 'field'; names: string[] }
  | { type: 'variable'; name: string; names: string[] }
  | { type: 'identifier'; name: string }
  | { type: 'string'; value: string }
  | { type: 'number'; text: string }
  | { type: '(' | ')' | '|' | ':=' | '=' | ',' };

interface Action {
  line: number;
  tokens: Token[];
}

type Piece = { type: 'text'; text: string } | { type: 'action'; action: Action };

const SPACE = /[ \t\r\n]/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*/;
const NUMBER = /^[+-]?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?)/;
const KEYWORDS = new Set([
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
]);

/** Parses one template file; `name` is its name in errors (Helm's `<chart>/templates/<file>`). */
export function parseTemplate(name: string, source: string): ParsedTemplates {
  const pieces = scan(name, source);
  return new Parser(name, pieces).parseFile();
}

function scan(name: string, source: string): Piece[] {
  const pieces: Piece[] = [];
  let position = 0;
  let trimNextText = false;
  const lineAt = (offset: number) => source.slice(0, offset).split('\n').length;
  const fail = (offset: number, message: string): never => {
    throw new TemplateSyntaxError(`template: ${name}:${lineAt(offset)}: ${message}`);
  };
  while (position < source.length) {
    const open = source.indexOf('{{', position);
    let text = source.slice(position, open === -1 ? source.length : open);
    if (trimNextText) text = text.replace(/^[ \t\r\n]+/, '');
    if (open === -1) {
      pieces.push({ type: 'text', text });
      break;
    }
    let cursor = open + 2;
    if (source[cursor] === '-' && SPACE.test(source[cursor + 1] ?? '')) {
      text = text.replace(/[ \t\r\n]+$/, '');
      cursor += 2;
    }
    pieces.push({ type: 'text', text });
    const line = lineAt(open);
    while (SPACE.test(source[cursor] ?? '')) cursor++;
    if (source.startsWith('/*', cursor)) {
      const close = source.indexOf('*/', cursor + 2);
      if (close === -1) fail(open, 'unclosed comment');
      cursor = close + 2;
      const rest = /^(?:[ \t\r\n]+-)?}}/.exec(source.slice(cursor));
      if (!rest) fail(open, 'comment ends before closing delimiter');
      trimNextText = rest![0].startsWith(' ') || rest![0].startsWith('\t') || rest![0].startsWith('\n');
      position = cursor + rest![0].length;
      continue;
    }
    const tokens: Token[] = [];
    for (;;) {
      const rest = source.slice(cursor);
      const trimmedEnd = /^[ \t\r\n]+-}}/.exec(rest);
      if (trimmedEnd) {
        trimNextText = true;
        cursor += trimmedEnd[0].length;
        break;
      }
      if (rest.startsWith('}}')) {
        trimNextText = false;
        cursor += 2;
        break;
      }
      if (rest === '') fail(open, 'unclosed action');
      const char = rest[0]!;
      if (SPACE.test(char)) {
        cursor++;
      } else if ('()|,'.includes(char)) {
        tokens.push({ type: char as '(' | ')' | '|' | ',' });
        cursor++;
      } else if (rest.startsWith(':=')) {
        tokens.push({ type: ':=' });
        cursor += 2;
      } else if (char === '=') {
        tokens.push({ type: '=' });
        cursor++;
      } else if (char === '"') {
        const literal = /^"(?:[^"\\\n]|\\.)*"/.exec(rest);
        if (!literal) fail(open, 'unterminated quoted string');
        tokens.push({
          type: 'string',
          value: unquote(literal![0], () => fail(open, 'bad escape in string')),
        });
        cursor += literal![0].length;
      } else if (char === '`') {
        const close = rest.indexOf('`', 1);
        if (close === -1) fail(open, 'unterminated raw quoted string');
        tokens.push({ type: 'string', value: rest.slice(1, close) });
        cursor += close + 1;
      } else if (char === '.' && !/^\.\d/.test(rest)) {
        const chain = /^(?:\.[A-Za-z_][A-Za-z0-9_]*)+/.exec(rest);
        const names = chain ? chain[0].slice(1).split('.') : [];
        tokens.push({ type: 'field', names });
        cursor += chain ? chain[0].length : 1;
      } else if (char === '$') {
        const variable = /^\$[A-Za-z0-9_]*((?:\.[A-Za-z_][A-Za-z0-9_]*)*)/.exec(rest)!;
        const [whole, fields] = variable;
        const name = whole.slice(0, whole.length - fields!.length);
        tokens.push({ type: 'variable', name, names: fields ? fields.slice(1).split('.') : [] });
        cursor += whole.length;
      } else if (NUMBER.test(rest) && /[\d.+-]/.test(char)) {
        const number = NUMBER.exec(rest)![0];
        tokens.push({ type: 'number', text: number });
        cursor += number.length;
      } else if (IDENTIFIER.test(rest)) {
        const identifier = IDENTIFIER.exec(rest)![0];
        tokens.push({ type: 'identifier', name: identifier });
        cursor += identifier.length;
      } else {
        fail(open, `unexpected ${JSON.stringify(char)} in action`);
      }
    }
    pieces.push({ type: 'action', action: { line, tokens } });
    position = cursor;
  }
  return pieces;
}

/** Go's interpreted string literal: the escapes strconv.Unquote accepts. */
function unquote(literal: string, bad: () => never): string {
  const simple: Record<string, string> = {
    a: '\x07',
    b: '\b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
    v: '\v',
    '\\': '\\',
    '"': '"',
  };
  return literal
    .slice(1, -1)
    .replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_, sequence: string) => {
      if (simple[sequence] !== undefined) return simple[sequence];
      if (/^[xuU]/.test(sequence)) return String.fromCodePoint(Number.parseInt(sequence.slice(1), 16));
      if (/^[0-7]{3}$/.test(sequence)) return String.fromCodePoint(Number.parseInt(sequence, 8));
      return bad();
    });
}

/** What closed a list: `{{ end }}`, or `{{ else }}` with what follows the `else` keyword. */
type ListEnd = { type: 'end' } | { type: 'else'; line: number; rest: Token[] } | { type: 'eof' };

class Parser {
  #index = 0;
  readonly #defines = new Map<string, TemplateNode[]>();

  constructor(
    readonly name: string,
    readonly pieces: Piece[],
  ) {}

  parseFile(): ParsedTemplates {
    const [body, end] = this.#list();
    if (end.type !== 'eof') this.#fail(this.#lastLine(), `unexpected {{${end.type}}}`);
    return { body, defines: this.#defines };
  }

  #fail(line: number, message: string): never {
    throw new TemplateSyntaxError(`template: ${this.name}:${line}: ${message}`);
  }

  #lastLine(): number {
    const piece = this.pieces[this.#index - 1];
    return piece?.type === 'action' ? piece.action.line : 0;
  }

  #list(): [TemplateNode[], ListEnd] {
    const nodes: TemplateNode[] = [];
    while (this.#index < this.pieces.length) {
      const piece = this.pieces[this.#index++]!;
      if (piece.type === 'text') {
        if (piece.text) nodes.push({ type: 'text', text: piece.text });
        continue;
      }
      const { line, tokens } = piece.action;
      const first = tokens[0];
      if (!first) this.#fail(line, 'missing value for command');
      const keyword = first.type === 'identifier' && KEYWORDS.has(first.name) ? first.name : undefined;
      switch (keyword) {
        case undefined:
          nodes.push({ type: 'action', line, pipeline: this.#pipeline(line, tokens, false) });
          break;
        case 'end':
          if (tokens.length > 1) this.#fail(line, 'unexpected tokens after end');
          return [nodes, { type: 'end' }];
        case 'else':
          return [nodes, { type: 'else', line, rest: tokens.slice(1) }];
        case 'if':
        case 'with':
        case 'range':
          nodes.push(this.#control(keyword, line, tokens.slice(1)));
          break;
        case 'define':
          this.#define(line, tokens.slice(1));
          break;
        case 'template': {
          const name = tokens[1];
          if (name?.type !== 'string') this.#fail(line, 'template needs a quoted name');
          const pipeline = tokens.length > 2 ? this.#pipeline(line, tokens.slice(2), false) : undefined;
          nodes.push({ type: 'template', line, name: name.value, pipeline });
          break;
        }
        default:
          this.#fail(line, `{{${keyword}}} is outside the subset this renderer supports`);
      }
    }
    return [nodes, { type: 'eof' }];
  }

  #control(keyword: 'if' | 'with' | 'range', line: number, tokens: Token[]): TemplateNode {
    const pipeline = this.#pipeline(line, tokens, keyword === 'range');
    const [body, end] = this.#list();
    if (end.type === 'eof') this.#fail(line, `unexpected EOF: {{${keyword}}} has no {{end}}`);
    let otherwise: TemplateNode[] | undefined;
    if (end.type === 'else') {
      const chained = end.rest[0];
      if (chained?.type === 'identifier' && chained.name === keyword && keyword !== 'range') {
        // `{{else if …}}` is an `if` inside the else branch that shares the outer `{{end}}`.
        otherwise = [this.#control(keyword, end.line, end.rest.slice(1))];
      } else {
        if (end.rest.length > 0) this.#fail(end.line, `unexpected tokens after else`);
        const [elseBody, elseEnd] = this.#list();
        if (elseEnd.type !== 'end') this.#fail(end.line, `{{else}} of {{${keyword}}} has no {{end}}`);
        otherwise = elseBody;
      }
    }
    return { type: keyword, line, pipeline, body, otherwise };
  }

  #define(line: number, tokens: Token[]): void {
    const name = tokens[0];
    if (name?.type !== 'string' || tokens.length !== 1) this.#fail(line, 'define needs one quoted name');
    const [body, end] = this.#list();
    if (end.type !== 'end') this.#fail(line, `{{define "${name.value}"}} has no {{end}}`);
    if (this.#defines.has(name.value)) this.#fail(line, `template "${name.value}" defined twice`);
    this.#defines.set(name.value, body);
  }

  #pipeline(line: number, tokens: Token[], inRange: boolean): Pipeline {
    let rest = tokens;
    const variables: string[] = [];
    let assigns = false;
    const declaration = (count: number) =>
      rest.length > count * 2 &&
      Array.from({ length: count }, (_, i) => rest[i * 2]).every(
        (token) => token?.type === 'variable' && token.names.length === 0,
      ) &&
      Array.from({ length: count - 1 }, (_, i) => rest[i * 2 + 1]).every((token) => token?.type === ',') &&
      (rest[count * 2 - 1]?.type === ':=' || rest[count * 2 - 1]?.type === '=');
    for (const count of inRange ? [2, 1] : [1]) {
      if (!declaration(count)) continue;
      for (let i = 0; i < count; i++) variables.push((rest[i * 2] as { name: string }).name);
      assigns = rest[count * 2 - 1]!.type === '=';
      rest = rest.slice(count * 2);
      break;
    }
    const commands: Command[] = [];
    let operands: Operand[] = [];
    let position = 0;
    const finishCommand = () => {
      if (operands.length === 0) this.#fail(line, 'missing command in pipeline');
      const head = operands[0]!;
      if (commands.length > 0 && head.type !== 'function') {
        this.#fail(line, `non executable command in pipeline stage ${commands.length + 1}`);
      }
      commands.push({ operands });
      operands = [];
    };
    while (position < rest.length) {
      const token = rest[position++]!;
      if (token.type === '|') {
        finishCommand();
      } else if (token.type === '(') {
        let depth = 1;
        const start = position;
        while (position < rest.length && depth > 0) {
          const inner = rest[position++]!;
          if (inner.type === '(') depth++;
          else if (inner.type === ')') depth--;
        }
        if (depth > 0) this.#fail(line, 'unclosed left paren');
        operands.push({
          type: 'pipeline',
          pipeline: this.#pipeline(line, rest.slice(start, position - 1), false),
        });
      } else {
        operands.push(this.#operand(line, token));
      }
    }
    finishCommand();
    return { variables, assigns, commands };
  }

  #operand(line: number, token: Token): Operand {
    switch (token.type) {
      case 'field':
        return { type: 'field', names: token.names };
      case 'variable':
        return { type: 'variable', name: token.name, names: token.names };
      case 'string':
        return { type: 'string', value: token.value };
      case 'number': {
        const text = token.text.replaceAll('_', '');
        if (/^[+-]?(?:0[xX][0-9a-fA-F]+|\d+)$/.test(text)) {
          const negative = text.startsWith('-');
          const magnitude = BigInt(text.replace(/^[+-]/, ''));
          return { type: 'int', value: negative ? -magnitude : magnitude };
        }
        const value = Number(text);
        if (Number.isNaN(value)) this.#fail(line, `bad number syntax: ${JSON.stringify(token.text)}`);
        return { type: 'float', value };
      }
      case 'identifier':
        if (token.name === 'true' || token.name === 'false')
          return { type: 'bool', value: token.name === 'true' };
        if (token.name === 'nil') return { type: 'nil' };
        if (KEYWORDS.has(token.name)) this.#fail(line, `unexpected keyword ${token.name} in operand`);
        return { type: 'function', name: token.name };
      default:
        return this.#fail(line, `unexpected "${token.type}" in operand`);
    }
  }
}
