/**
 * Executes parsed templates with text/template's semantics: dot and `$`, variables scoped to the
 * control structure that declares them, fields of maps (a missing key is nil) and structs (a
 * missing field is an error), field access on nil is an error, pipelines pass their value as the
 * last argument, `and`/`or` evaluate lazily, range over lists (in order) and maps (by sorted key).
 */
import type { Command, ControlNode, Operand, Pipeline, TemplateNode } from './go-template-syntax.js';
import { type GoMap, GoStruct, type GoValue, goTypeName, isMap, isTrue, printValue } from './go-values.js';

/** What a function sees besides its arguments: a way to run a named template (Helm's `include`). */
export interface FunctionContext {
  execute(name: string, data: GoValue): string;
}

export type TemplateFunction = (context: FunctionContext, ...args: GoValue[]) => GoValue;

export class TemplateExecutionError extends Error {}

interface Variable {
  name: string;
  value: GoValue;
}

interface State {
  template: string;
  line: number;
  dot: GoValue;
  variables: Variable[];
  out: string[];
}

/** Functions the executor evaluates itself, since their arguments are evaluated only as needed. */
const LAZY_FUNCTIONS = new Set(['and', 'or']);

/** Nested includes past this are a template calling itself. */
const MAX_DEPTH = 100;

export class TemplateSet {
  readonly #templates = new Map<string, TemplateNode[]>();
  #depth = 0;

  constructor(readonly functions: Readonly<Record<string, TemplateFunction>>) {}

  add(name: string, body: TemplateNode[]): void {
    if (this.#templates.has(name)) throw new TemplateExecutionError(`template "${name}" defined twice`);
    this.#templates.set(name, body);
  }

  has(name: string): boolean {
    return this.#templates.has(name);
  }

  /** Functions a template calls that the set does not have (Go refuses these at parse time). */
  unknownFunctions(): string[] {
    const unknown = new Set<string>();
    const visitPipeline = (pipeline: Pipeline) => {
      for (const command of pipeline.commands) {
        for (const operand of command.operands) {
          if (
            operand.type === 'function' &&
            !this.functions[operand.name] &&
            !LAZY_FUNCTIONS.has(operand.name)
          ) {
            unknown.add(operand.name);
          }
          if (operand.type === 'pipeline') visitPipeline(operand.pipeline);
        }
      }
    };
    const visit = (nodes: TemplateNode[]) => {
      for (const node of nodes) {
        if (node.type === 'text') continue;
        if (node.pipeline) visitPipeline(node.pipeline);
        if (node.type === 'if' || node.type === 'with' || node.type === 'range') {
          visit(node.body);
          if (node.otherwise) visit(node.otherwise);
        }
      }
    };
    for (const body of this.#templates.values()) visit(body);
    return [...unknown].sort();
  }

  execute(name: string, data: GoValue): string {
    const body = this.#templates.get(name);
    if (!body) throw new TemplateExecutionError(`no template "${name}" associated with template "gotpl"`);
    if (this.#depth >= MAX_DEPTH) {
      throw new TemplateExecutionError(`template "${name}": exceeded maximum template depth (${MAX_DEPTH})`);
    }
    this.#depth++;
    try {
      const state: State = {
        template: name,
        line: 0,
        dot: data,
        variables: [{ name: '$', value: data }],
        out: [],
      };
      this.#walk(state, body);
      return state.out.join('');
    } finally {
      this.#depth--;
    }
  }

  #fail(state: State, message: string): never {
    throw new TemplateExecutionError(`template: ${state.template}:${state.line}: ${message}`);
  }

  #walk(state: State, nodes: TemplateNode[]): void {
    for (const node of nodes) {
      if (node.type === 'text') {
        state.out.push(node.text);
        continue;
      }
      state.line = node.line;
      const mark = state.variables.length;
      switch (node.type) {
        case 'action': {
          const value = this.#pipeline(state, node.pipeline);
          // A declaration or assignment prints nothing; its variable lives until the enclosing end.
          if (node.pipeline.variables.length === 0) state.out.push(printValue(value));
          continue;
        }
        case 'if':
        case 'with': {
          const value = this.#pipeline(state, node.pipeline);
          if (isTrue(value)) {
            this.#walk(node.type === 'with' ? { ...state, dot: value, out: state.out } : state, node.body);
          } else if (node.otherwise) {
            this.#walk(state, node.otherwise);
          }
          break;
        }
        case 'range':
          this.#range(state, node);
          break;
        case 'template': {
          const data = node.pipeline ? this.#pipeline(state, node.pipeline) : null;
          state.out.push(this.#include(state, node.name, data));
          break;
        }
      }
      state.variables.length = mark;
    }
  }

  #range(state: State, node: ControlNode): void {
    const value = this.#pipeline(state, { ...node.pipeline, variables: [] });
    let entries: [GoValue, GoValue][];
    if (value === null || value === undefined) entries = [];
    else if (Array.isArray(value)) entries = value.map((item, index) => [BigInt(index), item]);
    else if (isMap(value)) {
      entries = Object.keys(value)
        .sort()
        .map((key) => [key, value[key]]);
    } else if (typeof value === 'bigint') {
      entries = Array.from({ length: Number(value) }, (_, index) => [BigInt(index), BigInt(index)]);
    } else {
      this.#fail(state, `range can't iterate over ${printValue(value)}`);
    }
    if (entries.length === 0) {
      if (node.otherwise) this.#walk(state, node.otherwise);
      return;
    }
    const [first, second] = node.pipeline.variables;
    for (const [key, item] of entries) {
      const mark = state.variables.length;
      if (second !== undefined)
        state.variables.push({ name: first!, value: key }, { name: second, value: item });
      else if (first !== undefined) state.variables.push({ name: first, value: item });
      this.#walk({ ...state, dot: item, out: state.out }, node.body);
      state.variables.length = mark;
    }
  }

  #include(state: State, name: string, data: GoValue): string {
    if (!this.#templates.has(name))
      this.#fail(state, `no template "${name}" associated with template "gotpl"`);
    return this.execute(name, data);
  }

  #pipeline(state: State, pipeline: Pipeline): GoValue {
    let value: GoValue;
    let hasValue = false;
    for (const command of pipeline.commands) {
      value = this.#command(state, command, hasValue ? { value } : undefined);
      hasValue = true;
    }
    if (pipeline.variables.length > 0) {
      const [name] = pipeline.variables;
      if (pipeline.assigns) {
        const variable = state.variables.findLast((candidate) => candidate.name === name);
        if (!variable) this.#fail(state, `undefined variable: ${name}`);
        variable.value = value;
      } else {
        state.variables.push({ name: name!, value });
      }
    }
    return value;
  }

  #command(state: State, command: Command, piped: { value: GoValue } | undefined): GoValue {
    const [head, ...rest] = command.operands;
    if (head!.type === 'function') {
      const name = head!.name;
      if (LAZY_FUNCTIONS.has(name)) return this.#logical(state, name as 'and' | 'or', rest, piped);
      const fn = this.functions[name];
      if (!fn) this.#fail(state, `function "${name}" not defined`);
      const args = rest.map((operand) => this.#operand(state, operand));
      if (piped) args.push(piped.value);
      try {
        return fn(this.#context(state), ...args);
      } catch (error) {
        if (error instanceof TemplateExecutionError) throw error;
        this.#fail(state, `error calling ${name}: ${(error as Error).message}`);
      }
    }
    if (rest.length > 0 || piped) this.#fail(state, `can't give argument to non-function ${describe(head!)}`);
    return this.#operand(state, head!);
  }

  /** `and`/`or` stop at the first argument that decides, as Go ≥ 1.18 does. */
  #logical(
    state: State,
    name: 'and' | 'or',
    operands: Operand[],
    piped: { value: GoValue } | undefined,
  ): GoValue {
    const thunks: (() => GoValue)[] = operands.map((operand) => () => this.#operand(state, operand));
    if (piped) thunks.push(() => piped.value);
    if (thunks.length === 0) this.#fail(state, `wrong number of args for ${name}: want at least 1 got 0`);
    let value: GoValue;
    for (const thunk of thunks) {
      value = thunk();
      if (isTrue(value) === (name === 'or')) return value;
    }
    return value;
  }

  #context(state: State): FunctionContext {
    return { execute: (name, data) => this.#include(state, name, data) };
  }

  #operand(state: State, operand: Operand): GoValue {
    switch (operand.type) {
      case 'field':
        return this.#fields(state, state.dot, operand.names);
      case 'variable': {
        const variable = state.variables.findLast((candidate) => candidate.name === operand.name);
        if (!variable) this.#fail(state, `undefined variable "${operand.name}"`);
        return this.#fields(state, variable.value, operand.names);
      }
      case 'function': {
        const fn = this.functions[operand.name];
        if (!fn) this.#fail(state, `function "${operand.name}" not defined`);
        return fn(this.#context(state));
      }
      case 'pipeline':
        return this.#pipeline(state, operand.pipeline);
      case 'string':
      case 'int':
      case 'float':
      case 'bool':
        return operand.value;
      case 'nil':
        return this.#fail(state, 'nil is not a command');
    }
  }

  #fields(state: State, receiver: GoValue, names: string[]): GoValue {
    let value = receiver;
    for (const name of names) {
      if (value === null || value === undefined)
        this.#fail(state, `nil pointer evaluating interface {}.${name}`);
      if (value instanceof GoStruct) {
        if (!Object.hasOwn(value.fields, name)) {
          this.#fail(state, `can't evaluate field ${name} in type ${value.typeName}`);
        }
        value = value.fields[name];
      } else if (isMap(value)) {
        value = Object.hasOwn(value, name) ? (value as GoMap)[name] : undefined;
      } else {
        this.#fail(state, `can't evaluate field ${name} in type ${goTypeName(value)}`);
      }
    }
    return value;
  }
}

function describe(operand: Operand): string {
  switch (operand.type) {
    case 'field':
      return `.${operand.names.join('.')}`;
    case 'variable':
      return [operand.name, ...operand.names].join('.');
    case 'string':
      return JSON.stringify(operand.value);
    case 'int':
    case 'float':
    case 'bool':
      return String(operand.value);
    default:
      return operand.type;
  }
}
