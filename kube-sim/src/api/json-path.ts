/**
 * The part of Kubernetes JSONPath that CRD printer columns use: fields (`.spec.size`,
 * `.metadata['app.kubernetes.io/name']`), indexes (`[0]`, `[-1]`), every element (`[*]`), and
 * filters on a field's value (`[?(@.type=="Ready")]`). Anything else is refused when the
 * definition is checked, as the apiserver refuses a column it cannot parse.
 */
import { isPlainObject } from './objects.js';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; value: string };

/** Parses a path; throws with what is wrong for one it does not support. */
export function parseJsonPath(path: string): Step[] {
  const steps: Step[] = [];
  const text = path.trim().replace(/^\{(.*)\}$/, '$1');
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`unsupported JSONPath ${JSON.stringify(path)}: ${why}`);
  };
  while (i < text.length) {
    const char = text[i]!;
    if (char === '.') {
      const match = /^[A-Za-z0-9_-]+/.exec(text.slice(i + 1));
      if (!match) fail(`expected a field name at ${i + 1}`);
      steps.push({ kind: 'field', name: match![0] });
      i += 1 + match![0].length;
    } else if (char === '[') {
      const end = text.indexOf(']', i);
      if (end === -1) fail('unclosed [');
      const inner = text.slice(i + 1, end);
      const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(inner);
      const filter = /^\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*==\s*(?:"([^"]*)"|'([^']*)')\)$/.exec(inner);
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (quoted) steps.push({ kind: 'field', name: quoted[1] ?? quoted[2]! });
      else if (filter) {
        steps.push({ kind: 'filter', path: filter[1]!.slice(1).split('.'), value: filter[2] ?? filter[3]! });
      } else fail(`unsupported [${inner}]`);
      i = end + 1;
    } else fail(`unexpected ${JSON.stringify(char)} at ${i}`);
  }
  return steps;
}

/** Every value the path finds in `root`. */
export function evaluateJsonPath(steps: readonly Step[], root: unknown): unknown[] {
  let values: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of values) {
      if (step.kind === 'field') {
        if (isPlainObject(value) && value[step.name] !== undefined) next.push(value[step.name]);
      } else if (!Array.isArray(value)) {
      } else if (step.kind === 'index') {
        const item = value.at(step.index);
        if (item !== undefined) next.push(item);
      } else if (step.kind === 'all') {
        next.push(...value);
      } else {
        next.push(...value.filter((item) => String(fieldAt(item, step.path)) === step.value));
      }
    }
    values = next;
  }
  return values;
}

function fieldAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const name of path) current = isPlainObject(current) ? current[name] : undefined;
  return current;
}
