/**
 * Syntax errors worded as Go's encoding/json words them (encoding/json/scanner.go), since the
 * apiserver quotes them in Status messages: `unexpected end of JSON input`,
 * `invalid character 'b' looking for beginning of object key string`, ...
 */

/** Go's quoteChar: the offending byte in single quotes, escaped as strconv.Quote would. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  const quoted = JSON.stringify(String.fromCharCode(c));
  return `'${quoted.slice(1, -1)}'`;
}

class SyntaxError_ extends Error {}

/** Returns Go's error text for the first syntax error in `data`, or undefined when it is valid JSON. */
export function goJsonSyntaxError(data: Buffer): string | undefined {
  let i = 0;
  const eof = (): never => {
    throw new SyntaxError_('unexpected end of JSON input');
  };
  const fail = (context: string): never => {
    throw new SyntaxError_(`invalid character ${quoteChar(data[i]!)} ${context}`);
  };
  const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
  const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
  const skip = () => {
    while (i < data.length && isSpace(data[i]!)) i++;
  };
  const peek = (): number => (i < data.length ? data[i]! : eof());

  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (peek() !== word.charCodeAt(k)) fail(`in literal ${word} (expecting '${word[k]}')`);
    }
    i++;
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      const c = peek();
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('in string literal');
      if (c === 0x5c) {
        i++;
        const e = peek();
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(String.fromCharCode(peek()))) fail('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) {
          fail('in string escape code');
        }
      }
      i++;
    }
  };
  const number = () => {
    if (data[i] === 0x2d) {
      i++;
      if (!isDigit(peek())) fail('in numeric literal');
    }
    if (data[i] === 0x30) i++;
    else while (i < data.length && isDigit(data[i]!)) i++;
    if (i < data.length && data[i] === 0x2e) {
      i++;
      if (!isDigit(peek())) fail('after decimal point in numeric literal');
      while (i < data.length && isDigit(data[i]!)) i++;
    }
    if (i < data.length && (data[i] === 0x65 || data[i] === 0x45)) {
      i++;
      if (peek() === 0x2b || data[i] === 0x2d) i++;
      if (!isDigit(peek())) fail('in exponent of numeric literal');
      while (i < data.length && isDigit(data[i]!)) i++;
    }
  };
  const value = (): void => {
    skip();
    const c = peek();
    if (c === 0x7b) {
      i++;
      skip();
      if (peek() === 0x7d) {
        i++;
        return;
      }
      for (;;) {
        if (peek() !== 0x22) fail('looking for beginning of object key string');
        string();
        skip();
        if (peek() !== 0x3a) fail('after object key');
        i++;
        value();
        skip();
        const next = peek();
        if (next === 0x7d) {
          i++;
          return;
        }
        if (next !== 0x2c) fail('after object key:value pair');
        i++;
        skip();
      }
    }
    if (c === 0x5b) {
      i++;
      skip();
      if (peek() === 0x5d) {
        i++;
        return;
      }
      for (;;) {
        value();
        skip();
        const next = peek();
        if (next === 0x5d) {
          i++;
          return;
        }
        if (next !== 0x2c) fail('after array element');
        i++;
      }
    }
    if (c === 0x22) string();
    else if (c === 0x2d || isDigit(c)) number();
    else if (c === 0x74) literal('true');
    else if (c === 0x66) literal('false');
    else if (c === 0x6e) literal('null');
    else fail('looking for beginning of value');
  };
  try {
    value();
    skip();
    if (i < data.length) fail('after top-level value');
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxError_) return error.message;
    throw error;
  }
}

/** The apiserver's summarizeData: the start of a body, for error messages. */
export function summarizeData(data: Buffer, maxLength = 30): string {
  if (data.length === 0) return '<empty>';
  if (data[0] === 0x7b) {
    return data.length > maxLength
      ? `${data.subarray(0, maxLength).toString('latin1')} ...`
      : data.toString('latin1');
  }
  return data.length > maxLength
    ? `${data.subarray(0, maxLength).toString('hex')} ...`
    : data.toString('hex');
}
