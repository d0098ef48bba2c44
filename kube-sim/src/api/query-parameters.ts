/**
 * Query parameters read as the apiserver reads them. Options structs (ListOptions, DeleteOptions,
 * PatchOptions, PodLogOptions, PodExecOptions, …) are decoded from the URL by apimachinery's
 * generated url.Values conversions, which take the first value of a parameter and hand it to
 * runtime.Convert_Slice_string_To_{bool,int64,…}. Those booleans are lenient, not strconv.ParseBool:
 * only "0" and "false" (any case) are false, so `watch=True` (the Python client), `watch=yes` and
 * even `watch=` start a watch. Integers go through strconv.ParseInt(s, 10, 64), whose error text
 * the handlers return as a bare 400. `pretty` alone is read with strconv.ParseBool.
 */
import { badRequest } from './errors.js';
import { goQuote } from './go-format.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Convert_Slice_string_To_bool's test, strings.EqualFold(v, "false") included: its Unicode
 * folding also takes the long s (U+017F) for an s, which upper-casing reproduces exactly.
 */
function convertsToFalse(value: string): boolean {
  return value === '0' || value.toUpperCase() === 'FALSE';
}

/** A `bool` field: absent is false. */
export function queryBool(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && !convertsToFalse(value);
}

/** A `*bool` field: absent is nil, which validation tells apart from an explicit false. */
export function queryOptionalBool(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  return value === null ? undefined : !convertsToFalse(value);
}

/**
 * strconv.ParseInt(text, 10, 64), failing with its NumError text. int64 values beyond 2^53 come
 * back rounded: every such value means "unbounded" to kube-sim.
 */
export function parseGoInt64(text: string): number {
  const syntaxError = () => badRequest(`strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax`);
  // Base 10 allows neither underscores nor prefixes, only a sign before the digits.
  if (!/^[+-]?[0-9]+$/.test(text)) throw syntaxError();
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX)
    throw badRequest(`strconv.ParseInt: parsing ${goQuote(text)}: value out of range`);
  return Number(value);
}

/** An `int64` or `*int64` field: absent is undefined; present but empty is ParseInt's syntax error. */
export function queryInt64(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  return value === null ? undefined : parseGoInt64(value);
}

/** strconv.ParseBool: exactly these spellings, anything else is an error (undefined). */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}
