/**
 * SPDY/3.1 frames on the wire (draft-mbelshe-httpbis-spdy-00 as amended by SPDY/3.1), exactly as
 * moby/spdystream reads and writes them for kubectl and the kubelet. Frames carry header blocks
 * still compressed: compression state spans the whole session, so it belongs to the session.
 */
import zlib from 'node:zlib';
import { SPDY3_HEADER_DICTIONARY } from './header-dictionary.js';

export const SPDY_VERSION = 3;
export const FRAME_HEADER_LENGTH = 8;
export const MAX_FRAME_PAYLOAD = 0xffffff;

export const ControlType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

export const RstStatus = {
  ProtocolError: 1,
  InvalidStream: 2,
  RefusedStream: 3,
  UnsupportedVersion: 4,
  Cancel: 5,
  InternalError: 6,
  FlowControlError: 7,
  StreamInUse: 8,
  StreamAlreadyClosed: 9,
  FrameTooLarge: 11,
} as const;

export const GoAwayStatus = { Ok: 0, ProtocolError: 1, InternalError: 2 } as const;

export const SETTINGS_INITIAL_WINDOW_SIZE = 7;

/** Lower-case names; a value holding several values keeps them NUL-separated, as on the wire. */
export type SpdyHeaders = Record<string, string>;

export interface SettingsEntry {
  flags: number;
  id: number;
  value: number;
}

export type Frame =
  | { type: 'data'; streamId: number; flags: number; data: Buffer }
  | {
      type: 'syn_stream';
      streamId: number;
      associatedStreamId: number;
      priority: number;
      flags: number;
      headerBlock: Buffer;
    }
  | { type: 'syn_reply'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'headers'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; flags: number; entries: SettingsEntry[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'window_update'; streamId: number; delta: number };

/** Input that breaks the protocol: the session answers it with GOAWAY and closes. */
export class SpdyProtocolError extends Error {}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new RangeError('SPDY frame payload too large');
  const header = Buffer.alloc(FRAME_HEADER_LENGTH);
  header.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  header.writeUInt16BE(type, 2);
  header.writeUInt32BE(((flags << 24) | payload.length) >>> 0, 4);
  return Buffer.concat([header, payload]);
}

function words(...values: number[]): Buffer {
  const buf = Buffer.alloc(values.length * 4);
  for (const [i, v] of values.entries()) buf.writeUInt32BE(v >>> 0, i * 4);
  return buf;
}

export function encodeFrame(frame: Frame): Buffer {
  switch (frame.type) {
    case 'data': {
      if (frame.data.length > MAX_FRAME_PAYLOAD) throw new RangeError('SPDY frame payload too large');
      const header = words(frame.streamId & 0x7fffffff, (frame.flags << 24) | frame.data.length);
      return Buffer.concat([header, frame.data]);
    }
    case 'syn_stream': {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(frame.streamId & 0x7fffffff, 0);
      fixed.writeUInt32BE(frame.associatedStreamId & 0x7fffffff, 4);
      fixed[8] = (frame.priority & 0x7) << 5;
      return controlFrame(ControlType.SynStream, frame.flags, Buffer.concat([fixed, frame.headerBlock]));
    }
    case 'syn_reply':
    case 'headers': {
      const type = frame.type === 'syn_reply' ? ControlType.SynReply : ControlType.Headers;
      return controlFrame(
        type,
        frame.flags,
        Buffer.concat([words(frame.streamId & 0x7fffffff), frame.headerBlock]),
      );
    }
    case 'rst_stream':
      return controlFrame(ControlType.RstStream, 0, words(frame.streamId & 0x7fffffff, frame.status));
    case 'settings':
      return controlFrame(
        ControlType.Settings,
        frame.flags,
        words(frame.entries.length, ...frame.entries.flatMap((e) => [(e.flags << 24) | e.id, e.value])),
      );
    case 'ping':
      return controlFrame(ControlType.Ping, 0, words(frame.id));
    case 'goaway':
      return controlFrame(ControlType.GoAway, 0, words(frame.lastGoodStreamId & 0x7fffffff, frame.status));
    case 'window_update':
      return controlFrame(
        ControlType.WindowUpdate,
        0,
        words(frame.streamId & 0x7fffffff, frame.delta & 0x7fffffff),
      );
  }
}

/**
 * Decodes the frame at the start of `buf`: `null` when more bytes are needed, `skip` for control
 * frame types SPDY says to ignore (NOOP, CREDENTIAL, future ones).
 */
export function decodeFrame(buf: Buffer): { frame: Frame | 'skip'; length: number } | null {
  if (buf.length < FRAME_HEADER_LENGTH) return null;
  const payloadLength = buf.readUInt32BE(4) & 0xffffff;
  const length = FRAME_HEADER_LENGTH + payloadLength;
  if (buf.length < length) return null;
  const flags = buf[4] as number;
  const payload = buf.subarray(FRAME_HEADER_LENGTH, length);
  const first = buf.readUInt32BE(0);
  if ((first & 0x80000000) === 0) {
    const streamId = first & 0x7fffffff;
    if (streamId === 0) throw new SpdyProtocolError('data frame on stream 0');
    return { frame: { type: 'data', streamId, flags, data: Buffer.from(payload) }, length };
  }
  const version = (first >>> 16) & 0x7fff;
  if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
  return { frame: decodeControl(first & 0xffff, flags, payload), length };
}

function decodeControl(type: number, flags: number, payload: Buffer): Frame | 'skip' {
  const need = (min: number, exact = false) => {
    if (exact ? payload.length !== min : payload.length < min) {
      throw new SpdyProtocolError(`control frame type ${type} has invalid length ${payload.length}`);
    }
  };
  const streamId = () => {
    const id = payload.readUInt32BE(0) & 0x7fffffff;
    if (id === 0) throw new SpdyProtocolError(`control frame type ${type} on stream 0`);
    return id;
  };
  switch (type) {
    case ControlType.SynStream:
      need(10);
      return {
        type: 'syn_stream',
        streamId: streamId(),
        associatedStreamId: payload.readUInt32BE(4) & 0x7fffffff,
        priority: (payload[8] as number) >> 5,
        flags,
        headerBlock: Buffer.from(payload.subarray(10)),
      };
    case ControlType.SynReply:
    case ControlType.Headers:
      need(4);
      return {
        type: type === ControlType.SynReply ? 'syn_reply' : 'headers',
        streamId: streamId(),
        flags,
        headerBlock: Buffer.from(payload.subarray(4)),
      };
    case ControlType.RstStream: {
      need(8, true);
      const status = payload.readUInt32BE(4);
      if (status === 0) throw new SpdyProtocolError('RST_STREAM with status 0');
      return { type: 'rst_stream', streamId: streamId(), status };
    }
    case ControlType.Settings: {
      need(4);
      const count = payload.readUInt32BE(0);
      need(4 + count * 8, true);
      const entries: SettingsEntry[] = [];
      for (let i = 0; i < count; i++) {
        const flagsAndId = payload.readUInt32BE(4 + i * 8);
        entries.push({
          flags: flagsAndId >>> 24,
          id: flagsAndId & 0xffffff,
          value: payload.readUInt32BE(8 + i * 8),
        });
      }
      return { type: 'settings', flags, entries };
    }
    case ControlType.Ping:
      need(4, true);
      return { type: 'ping', id: payload.readUInt32BE(0) };
    case ControlType.GoAway:
      need(8, true);
      return {
        type: 'goaway',
        lastGoodStreamId: payload.readUInt32BE(0) & 0x7fffffff,
        status: payload.readUInt32BE(4),
      };
    case ControlType.WindowUpdate:
      need(8, true);
      return {
        type: 'window_update',
        streamId: payload.readUInt32BE(0) & 0x7fffffff,
        delta: payload.readUInt32BE(4),
      };
    default:
      return 'skip';
  }
}

/** The uncompressed name/value block: 32-bit count, then 32-bit-length-prefixed names and values. */
export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const entries = Object.entries(headers);
  const parts = [words(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase());
    const v = Buffer.from(value);
    parts.push(words(n.length), n, words(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  let offset = 0;
  const take = (n: number) => {
    if (offset + n > block.length) throw new SpdyProtocolError('truncated header block');
    const out = block.subarray(offset, offset + n);
    offset += n;
    return out;
  };
  const count = take(4).readUInt32BE(0);
  const headers: SpdyHeaders = {};
  for (let i = 0; i < count; i++) {
    const name = take(take(4).readUInt32BE(0)).toString('latin1');
    const value = take(take(4).readUInt32BE(0)).toString();
    if (name === '' || name !== name.toLowerCase())
      throw new SpdyProtocolError(`invalid header name "${name}"`);
    if (Object.hasOwn(headers, name)) throw new SpdyProtocolError(`duplicate header "${name}"`);
    headers[name] = value;
  }
  if (offset !== block.length) throw new SpdyProtocolError('trailing bytes after header block');
  return headers;
}

const MAX_HEADER_BLOCK = 1 << 20;

/**
 * One direction's header compression: a single zlib stream for the whole session, each block
 * ending in a sync flush. Node's zlib is asynchronous, so calls resolve in order.
 */
export class HeaderCodec {
  private readonly z: zlib.Inflate | zlib.Deflate;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private failure: Error | undefined;
  private pending = new Set<(error: Error) => void>();

  constructor(kind: 'inflate' | 'deflate') {
    const options = { dictionary: SPDY3_HEADER_DICTIONARY, flush: zlib.constants.Z_SYNC_FLUSH };
    // spdystream compresses with BestCompression; matching it keeps our frames byte-identical.
    this.z = kind === 'inflate' ? zlib.createInflate(options) : zlib.createDeflate({ ...options, level: 9 });
    this.z.on('data', (chunk: Buffer) => {
      this.size += chunk.length;
      if (this.size > MAX_HEADER_BLOCK) this.fail(new SpdyProtocolError('header block too large'));
      else this.chunks.push(chunk);
    });
    this.z.on('error', (error) => this.fail(new SpdyProtocolError(`header compression: ${error.message}`)));
  }

  process(input: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.pending.add(reject);
      this.z.write(input, () => {
        this.pending.delete(reject);
        if (this.failure) return reject(this.failure);
        const out = Buffer.concat(this.chunks);
        this.chunks.length = 0;
        this.size = 0;
        resolve(out);
      });
    });
  }

  close(): void {
    this.z.destroy();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const reject of this.pending) reject(this.failure);
    this.pending.clear();
    this.z.destroy();
  }
}
