import {
  DEFAULTS,
  ErrorCode,
  Flag,
  FrameType,
  HEADER_SIZE,
  MAX_FRAME_PAYLOAD,
  MAX_REASON_BYTES,
  MAX_STREAM_ID,
  MAX_WINDOW,
  MIN_FRAME_PAYLOAD,
  MIN_INITIAL_WINDOW,
  PING_PAYLOAD_SIZE,
  PROTOCOL_VERSION,
  SettingId,
} from './constants.js';
import { ProtocolError } from './errors.js';

export interface Setting {
  id: number;
  value: number;
}

export type Frame =
  | { type: typeof FrameType.Data; streamId: number; fin: boolean; data: Buffer }
  | { type: typeof FrameType.Open; streamId: number; metadata: Buffer }
  | { type: typeof FrameType.OpenAck; streamId: number; fin: boolean }
  | { type: typeof FrameType.Window; streamId: number; increment: number }
  | { type: typeof FrameType.Rst; streamId: number; code: number; reason: string }
  | { type: typeof FrameType.Ping; opaque: Buffer }
  | { type: typeof FrameType.Pong; opaque: Buffer }
  | { type: typeof FrameType.GoAway; code: number; lastStreamId: number; reason: string }
  | { type: typeof FrameType.Settings; settings: Setting[] };

/** What this side accepts; a frame beyond these is the peer's fault. */
export interface DecodeLimits {
  maxFramePayload: number;
  maxMetadata: number;
}

const defaultLimits: DecodeLimits = {
  maxFramePayload: DEFAULTS.maxFramePayload,
  maxMetadata: DEFAULTS.maxMetadata,
};
const SETTING_SIZE = 6;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes one WebSocket message. Throws ProtocolError, and nothing else, on any malformed input. */
export function decodeFrame(message: Uint8Array, limits: DecodeLimits = defaultLimits): Frame {
  if (message.length < HEADER_SIZE) {
    throw new ProtocolError(
      ErrorCode.FrameSizeError,
      `frame of ${message.length} bytes is shorter than the header`,
    );
  }
  const bytes = Buffer.from(message.buffer, message.byteOffset, message.length);
  const version = bytes.readUInt8(0);
  const type = bytes.readUInt8(1);
  const flags = bytes.readUInt16BE(2);
  const rawId = bytes.readUInt32BE(4);
  const payload = bytes.subarray(HEADER_SIZE);

  if (version !== PROTOCOL_VERSION) fail(`unsupported protocol version ${version}`);
  if (payload.length > limits.maxFramePayload) {
    throw new ProtocolError(
      ErrorCode.FrameSizeError,
      `payload of ${payload.length} bytes exceeds the limit of ${limits.maxFramePayload}`,
    );
  }
  if (rawId > MAX_STREAM_ID) fail('reserved bit of the stream id is set');
  const allowedFlags = type === FrameType.Data || type === FrameType.OpenAck ? Flag.Fin : 0;
  if ((flags & ~allowedFlags) !== 0) fail(`reserved flags 0x${flags.toString(16)} on frame type ${type}`);
  const fin = (flags & Flag.Fin) !== 0;

  switch (type) {
    case FrameType.Data:
      if (payload.length === 0 && !fin) fail('empty DATA frame without FIN');
      return { type, streamId: streamId(rawId), fin, data: payload };
    case FrameType.Open:
      if (payload.length > limits.maxMetadata) {
        throw new ProtocolError(
          ErrorCode.FrameSizeError,
          `OPEN metadata of ${payload.length} bytes exceeds the limit of ${limits.maxMetadata}`,
        );
      }
      return { type, streamId: streamId(rawId), metadata: payload };
    case FrameType.OpenAck:
      exactSize(payload, 0, 'OPEN_ACK');
      return { type, streamId: streamId(rawId), fin };
    case FrameType.Window: {
      exactSize(payload, 4, 'WINDOW');
      const increment = payload.readUInt32BE(0);
      if (increment === 0 || increment > MAX_WINDOW) fail(`WINDOW increment ${increment} out of range`);
      return { type, streamId: streamId(rawId), increment };
    }
    case FrameType.Rst:
      minSize(payload, 4, 'RST');
      return {
        type,
        streamId: streamId(rawId),
        code: payload.readUInt32BE(0),
        reason: reasonText(payload, 4),
      };
    case FrameType.Ping:
    case FrameType.Pong:
      sessionScoped(rawId, type);
      exactSize(payload, PING_PAYLOAD_SIZE, type === FrameType.Ping ? 'PING' : 'PONG');
      return { type, opaque: payload };
    case FrameType.GoAway: {
      sessionScoped(rawId, type);
      minSize(payload, 8, 'GOAWAY');
      const lastStreamId = payload.readUInt32BE(4);
      if (lastStreamId > MAX_STREAM_ID) fail('reserved bit of the GOAWAY last stream id is set');
      return { type, code: payload.readUInt32BE(0), lastStreamId, reason: reasonText(payload, 8) };
    }
    case FrameType.Settings:
      sessionScoped(rawId, type);
      return { type, settings: decodeSettings(payload) };
    default:
      return fail(`unknown frame type ${type}`);
  }
}

export function encodeFrame(frame: Frame): Buffer {
  switch (frame.type) {
    case FrameType.Data:
      return withPayload(frame.type, frame.fin ? Flag.Fin : 0, frame.streamId, frame.data);
    case FrameType.Open:
      return withPayload(frame.type, 0, frame.streamId, frame.metadata);
    case FrameType.OpenAck:
      return header(frame.type, frame.fin ? Flag.Fin : 0, frame.streamId, 0);
    case FrameType.Window: {
      const bytes = header(frame.type, 0, frame.streamId, 4);
      bytes.writeUInt32BE(frame.increment, HEADER_SIZE);
      return bytes;
    }
    case FrameType.Rst:
      return withCodeAndReason(frame.type, frame.streamId, [frame.code], frame.reason);
    case FrameType.Ping:
    case FrameType.Pong:
      return withPayload(frame.type, 0, 0, frame.opaque);
    case FrameType.GoAway:
      return withCodeAndReason(frame.type, 0, [frame.code, frame.lastStreamId], frame.reason);
    case FrameType.Settings: {
      const bytes = header(frame.type, 0, 0, frame.settings.length * SETTING_SIZE);
      frame.settings.forEach(({ id, value }, i) => {
        bytes.writeUInt16BE(id, HEADER_SIZE + i * SETTING_SIZE);
        bytes.writeUInt32BE(value, HEADER_SIZE + i * SETTING_SIZE + 2);
      });
      return bytes;
    }
  }
}

/** A DATA frame (no FIN) whose payload is `parts`, in order: the writer's way to join small writes. */
export function encodeDataFrame(streamId: number, parts: readonly Uint8Array[]): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  const bytes = header(FrameType.Data, 0, streamId, length);
  let offset = HEADER_SIZE;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/** Reasons are for humans; an over-long one is cut at a character boundary rather than refused. */
export function truncateUtf8(text: string, maxBytes: number): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return bytes;
  let end = maxBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

function header(type: FrameType, flags: number, streamId: number, payloadLength: number): Buffer {
  const bytes = Buffer.allocUnsafe(HEADER_SIZE + payloadLength);
  bytes.writeUInt8(PROTOCOL_VERSION, 0);
  bytes.writeUInt8(type, 1);
  bytes.writeUInt16BE(flags, 2);
  bytes.writeUInt32BE(streamId, 4);
  return bytes;
}

function withPayload(type: FrameType, flags: number, streamId: number, payload: Uint8Array): Buffer {
  const bytes = header(type, flags, streamId, payload.length);
  bytes.set(payload, HEADER_SIZE);
  return bytes;
}

function withCodeAndReason(type: FrameType, streamId: number, words: number[], reason: string): Buffer {
  const text = truncateUtf8(reason, MAX_REASON_BYTES);
  const bytes = header(type, 0, streamId, words.length * 4 + text.length);
  words.forEach((word, i) => {
    bytes.writeUInt32BE(word, HEADER_SIZE + i * 4);
  });
  bytes.set(text, HEADER_SIZE + words.length * 4);
  return bytes;
}

function decodeSettings(payload: Buffer): Setting[] {
  if (payload.length % SETTING_SIZE !== 0) {
    throw new ProtocolError(
      ErrorCode.FrameSizeError,
      `SETTINGS payload of ${payload.length} bytes is not n×6`,
    );
  }
  const settings: Setting[] = [];
  for (let offset = 0; offset < payload.length; offset += SETTING_SIZE) {
    const id = payload.readUInt16BE(offset);
    const value = payload.readUInt32BE(offset + 2);
    if (settings.some((s) => s.id === id)) fail(`SETTINGS repeats id ${id}`);
    if (id === SettingId.InitialWindow && (value < MIN_INITIAL_WINDOW || value > MAX_WINDOW)) {
      fail(`initial window ${value} out of range`);
    }
    if (id === SettingId.MaxFramePayload && (value < MIN_FRAME_PAYLOAD || value > MAX_FRAME_PAYLOAD)) {
      fail(`max frame payload ${value} out of range`);
    }
    settings.push({ id, value });
  }
  return settings;
}

function reasonText(payload: Buffer, offset: number): string {
  const text = payload.subarray(offset);
  if (text.length > MAX_REASON_BYTES) fail(`reason of ${text.length} bytes exceeds ${MAX_REASON_BYTES}`);
  try {
    return strictUtf8.decode(text);
  } catch {
    return fail('reason is not valid UTF-8');
  }
}

function streamId(rawId: number): number {
  if (rawId === 0) fail('stream frame with stream id 0');
  return rawId;
}

function sessionScoped(rawId: number, type: number): void {
  if (rawId !== 0) fail(`session frame type ${type} with non-zero stream id ${rawId}`);
}

function exactSize(payload: Buffer, size: number, name: string): void {
  if (payload.length !== size) {
    throw new ProtocolError(
      ErrorCode.FrameSizeError,
      `${name} payload must be ${size} bytes, got ${payload.length}`,
    );
  }
}

function minSize(payload: Buffer, size: number, name: string): void {
  if (payload.length < size) {
    throw new ProtocolError(ErrorCode.FrameSizeError, `${name} payload must be at least ${size} bytes`);
  }
}

function fail(message: string): never {
  throw new ProtocolError(ErrorCode.ProtocolError, message);
}
