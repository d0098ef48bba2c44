/**
 * Go's view of the values a Helm template handles. Helm reads values files through JSON, so every
 * number in them is a float64 (a JavaScript number here); integer literals in a template and the
 * results of `int` are Go ints (bigint here), which print and compare differently: a float64 of a
 * million prints as 1e+06, exactly the surprise a chart must guard against with `int`.
 */

/** A Go struct (Helm's `.Release`, `.Chart`): unlike a map, asking for a field it lacks is an error. */
export class GoStruct {
  constructor(
    readonly typeName: string,
    readonly fields: Readonly<Record<string, GoValue>>,
  ) {}
}

export type GoValue =
  | null
  | undefined
  | string
  | boolean
  | number
  | bigint
  | GoValue[]
  | GoStruct
  | { [key: string]: GoValue };

export type GoMap = { [key: string]: GoValue };

export function isMap(value: GoValue): value is GoMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof GoStruct);
}

/** text/template's truth: false, 0, nil and empty strings, slices and maps are false; structs are true. */
export function isTrue(value: GoValue): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value !== '';
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof GoStruct) return true;
  return Object.keys(value).length > 0;
}

/** Sprig's `empty`: the same as text/template's falsehood. */
export function isEmpty(value: GoValue): boolean {
  return !isTrue(value);
}

export function goTypeName(value: GoValue): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'float64';
  if (typeof value === 'bigint') return 'int';
  if (Array.isArray(value)) return '[]interface {}';
  if (value instanceof GoStruct) return value.typeName;
  return 'map[string]interface {}';
}

/** `fmt.Sprint` of a float64: strconv's shortest 'g' format, exponent from 1e+06 and below 1e-04. */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

/** `fmt.Sprint` of a value, as text/template prints an action's result (nil as `<no value>`). */
export function printValue(value: GoValue): string {
  if (value === null || value === undefined) return '<no value>';
  return formatValue(value);
}

/** `%v`: what Sprig's string conversions (quote, join, printf's %s and %v) produce. */
export function formatValue(value: GoValue): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'number') return formatFloat(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(' ')}]`;
  if (value instanceof GoStruct) {
    return `{${Object.values(value.fields).map(formatValue).join(' ')}}`;
  }
  const keys = Object.keys(value).sort();
  return `map[${keys.map((key) => `${key}:${formatValue(value[key])}`).join(' ')}]`;
}

/** text/template's `eq` for basic values: comparing an int with a float64 is an error, as in Go. */
export function basicEqual(left: GoValue, right: GoValue): boolean {
  const kind = (value: GoValue) =>
    value === undefined ? null : typeof value === 'object' ? 'object' : typeof value;
  if (left === null || left === undefined || right === null || right === undefined) {
    return (left ?? null) === (right ?? null);
  }
  if (kind(left) !== kind(right)) {
    throw new Error(`incompatible types for comparison: ${goTypeName(left)} and ${goTypeName(right)}`);
  }
  if (kind(left) === 'object') throw new Error(`non-comparable type ${goTypeName(left)}`);
  return left === right;
}
