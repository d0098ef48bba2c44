import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ErrorCode, FrameType, HEADER_SIZE, MAX_REASON_BYTES } from '../src/constants.js';
import { codeName, ProtocolError } from '../src/errors.js';
import { type DecodeLimits, decodeFrame, encodeFrame } from '../src/frame.js';
import { mutate, prng, randomBytes } from './harness.js';
import { type FrameJson, frameFromJson, frameToJson, wireCodeName } from './vector-format.js';

interface Vectors {
  valid: Array<{ name: string; hex: string; frame: FrameJson }>;
  invalid: Array<{ name: string; hex: string; limits?: DecodeLimits; error: string }>;
}
const vectors: Vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'));

function decodeError(bytes: Uint8Array, limits?: DecodeLimits): ProtocolError | undefined {
  try {
    decodeFrame(bytes, limits);
    return undefined;
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw new Error(`decodeFrame threw something other than ProtocolError: ${error}`);
  }
}

describe('test vectors', () => {
  test.each(vectors.valid)('decodes and re-encodes: $name', ({ hex, frame }) => {
    expect(frameToJson(decodeFrame(Buffer.from(hex, 'hex')))).toEqual(frame);
    expect(encodeFrame(frameFromJson(frame)).toString('hex')).toBe(hex);
  });

  test.each(vectors.invalid)('rejects with $error: $name', ({ hex, limits, error }) => {
    const failure = decodeError(Buffer.from(hex, 'hex'), limits);
    expect(failure).toBeInstanceOf(ProtocolError);
    expect(wireCodeName(codeName(failure!.code))).toBe(error);
  });

  test('cover every frame type', () => {
    const types = new Set(vectors.valid.map((v) => v.frame.type));
    expect(types.size).toBe(Object.keys(FrameType).length);
  });
});

describe('decoder strictness', () => {
  test('a payload one byte over the limit is FRAME_SIZE_ERROR, at the limit is fine', () => {
    const limits = { maxFramePayload: 1024, maxMetadata: 16 };
    const data = (n: number) =>
      encodeFrame({ type: FrameType.Data, streamId: 1, fin: false, data: Buffer.alloc(n) });
    expect(decodeFrame(data(1024), limits).type).toBe(FrameType.Data);
    expect(decodeError(data(1025), limits)?.code).toBe(ErrorCode.FrameSizeError);
  });

  test('a reason longer than 512 bytes is refused; the encoder truncates at a character boundary', () => {
    const header = Buffer.from('0104000000000001', 'hex');
    const tooLong = Buffer.concat([header, Buffer.alloc(4), Buffer.alloc(MAX_REASON_BYTES + 1, 0x61)]);
    expect(decodeError(tooLong)?.code).toBe(ErrorCode.ProtocolError);

    const reason = '☕'.repeat(200); // 3 bytes each: 600 bytes
    const encoded = encodeFrame({ type: FrameType.Rst, streamId: 1, code: 0, reason });
    expect(encoded.length - HEADER_SIZE - 4).toBe(510);
    const decoded = decodeFrame(encoded);
    expect(decoded.type === FrameType.Rst && decoded.reason).toBe('☕'.repeat(170));
  });

  test('decodes from any Uint8Array view, not only Buffers', () => {
    const bytes = new Uint8Array([0xff, ...Buffer.from('010000000000000168656c6c6f', 'hex')]).subarray(1);
    const frame = decodeFrame(bytes);
    expect(frame.type === FrameType.Data && frame.data.toString()).toBe('hello');
  });

  test('random byte strings and mutated vectors only ever produce ProtocolError', () => {
    const random = prng(0x5eed);
    const valid = vectors.valid.map((v) => Buffer.from(v.hex, 'hex'));
    let decoded = 0;
    let rejected = 0;
    for (let i = 0; i < 20_000; i++) {
      const input =
        i % 2 === 0
          ? randomBytes(random, Math.floor(random() * 40))
          : mutate(valid[i % valid.length]!, random);
      if (decodeError(input, { maxFramePayload: 1024, maxMetadata: 64 })) rejected++;
      else decoded++;
    }
    expect(decoded + rejected).toBe(20_000);
    expect(rejected).toBeGreaterThan(0);
    expect(decoded).toBeGreaterThan(0);
  });
});
