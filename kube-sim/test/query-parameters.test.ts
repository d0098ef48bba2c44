/**
 * Query parameters as apimachinery's url.Values conversions read them, checked against the value
 * tables of Go's own strconv tests (atobtests, parseInt64Tests). api-errors.test.ts checks the
 * answers a running kube-sim gives for them.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/errors.js';
import {
  parseGoBool,
  parseGoInt64,
  queryBool,
  queryInt64,
  queryOptionalBool,
} from '../src/api/query-parameters.js';

/** Go's atobtests: the input, and ParseBool's answer (undefined for ErrSyntax). */
const PARSE_BOOL_TABLE: [string, boolean | undefined][] = [
  ['', undefined],
  ['asdf', undefined],
  ['0', false],
  ['f', false],
  ['F', false],
  ['FALSE', false],
  ['false', false],
  ['False', false],
  ['1', true],
  ['t', true],
  ['T', true],
  ['TRUE', true],
  ['true', true],
  ['True', true],
];

/**
 * Go's parseInt64Tests (base 10): the input, and the value or the error ParseInt reports. Values
 * past 2^53 come back as the nearest double.
 */
const PARSE_INT64_TABLE: [string, bigint | 'invalid syntax' | 'value out of range'][] = [
  ['', 'invalid syntax'],
  ['0', 0n],
  ['-0', 0n],
  ['+0', 0n],
  ['1', 1n],
  ['-1', -1n],
  ['+1', 1n],
  ['12345', 12345n],
  ['-12345', -12345n],
  ['012345', 12345n],
  ['-012345', -12345n],
  ['98765432100', 98765432100n],
  ['-98765432100', -98765432100n],
  ['9223372036854775807', 9223372036854775807n],
  ['-9223372036854775807', -9223372036854775807n],
  ['9223372036854775808', 'value out of range'],
  ['-9223372036854775808', -9223372036854775808n],
  ['9223372036854775809', 'value out of range'],
  ['-9223372036854775809', 'value out of range'],
  ['-1_2_3_4_5', 'invalid syntax'],
  ['-_12345', 'invalid syntax'],
  ['_12345', 'invalid syntax'],
  ['1__2345', 'invalid syntax'],
  ['12345_', 'invalid syntax'],
  ['123%45', 'invalid syntax'],
  ['+', 'invalid syntax'],
  ['0x10', 'invalid syntax'],
  [' 1', 'invalid syntax'],
];

const query = (text: string) => new URLSearchParams(text);

describe('booleans', () => {
  it.each(PARSE_BOOL_TABLE)('strconv.ParseBool(%j) is %s', (input, expected) => {
    expect(parseGoBool(input)).toBe(expected);
  });

  // Convert_Slice_string_To_bool: only "0" and "false" in any case are false, so most of Go's
  // table, and its errors, are true here.
  it.each(PARSE_BOOL_TABLE)('the url.Values conversion reads %j as Go does', (input) => {
    const expected = !(input === '0' || input.toLowerCase() === 'false');
    expect(queryBool(query(`watch=${encodeURIComponent(input)}`), 'watch')).toBe(expected);
    expect(queryOptionalBool(query(`watch=${encodeURIComponent(input)}`), 'watch')).toBe(expected);
  });

  it('reads what other clients send: Python\'s True, "yes", an empty value, any case of false', () => {
    expect(queryBool(query('watch=True'), 'watch')).toBe(true);
    expect(queryBool(query('watch=yes'), 'watch')).toBe(true);
    expect(queryBool(query('watch='), 'watch')).toBe(true);
    expect(queryBool(query('watch=fAlSe'), 'watch')).toBe(false);
    expect(queryBool(query('watch=no'), 'watch')).toBe(true);
  });

  it('takes the first of repeated values, as the conversions do', () => {
    expect(queryBool(query('follow=false&follow=true'), 'follow')).toBe(false);
    expect(queryBool(query('follow=1&follow=0'), 'follow')).toBe(true);
  });

  it('matches "false" with strings.EqualFold, whose folding takes the long s for an s', () => {
    expect(queryBool(query('watch=fal%C5%BFe'), 'watch')).toBe(false);
    expect(queryBool(query('watch=fa%C3%9Fe'), 'watch')).toBe(true);
  });

  it('tells an absent *bool (nil) from an explicit false', () => {
    expect(queryOptionalBool(query(''), 'sendInitialEvents')).toBeUndefined();
    expect(queryOptionalBool(query('sendInitialEvents=false'), 'sendInitialEvents')).toBe(false);
    expect(queryBool(query(''), 'watch')).toBe(false);
  });
});

describe('integers', () => {
  it.each(PARSE_INT64_TABLE)('strconv.ParseInt(%j, 10, 64) is %s', (input, expected) => {
    if (typeof expected === 'bigint') {
      expect(parseGoInt64(input)).toBe(Number(expected));
      return;
    }
    let error: unknown;
    try {
      parseGoInt64(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(400);
    expect((error as ApiError).message).toBe(
      `strconv.ParseInt: parsing ${JSON.stringify(input)}: ${expected}`,
    );
  });

  it("quotes the input as Go's %q does", () => {
    expect(() => parseGoInt64('1\t2')).toThrow('strconv.ParseInt: parsing "1\\t2": invalid syntax');
  });

  it("is undefined when absent and ParseInt's syntax error when present but empty", () => {
    expect(queryInt64(query(''), 'limit')).toBeUndefined();
    expect(queryInt64(query('limit=5&limit=x'), 'limit')).toBe(5);
    expect(() => queryInt64(query('limit='), 'limit')).toThrow(
      'strconv.ParseInt: parsing "": invalid syntax',
    );
  });
});
