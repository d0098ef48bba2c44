/**
 * The text of a header value as the apiserver reads it. Node's HTTP parser hands each byte of a
 * header value over as one Latin-1 character; Go's net/http keeps the bytes, and the apiserver
 * treats them as a UTF-8 string (client-go sends non-ASCII names as UTF-8). Decoding the same
 * way means a client that sends Latin-1 (`josé` as the single byte 0xE9) arrives as `jos\ufffd`
 * here too, as it would on a real cluster, instead of being hidden.
 */
export function headerText(value: string): string {
  return Buffer.from(value, 'latin1').toString('utf8');
}
