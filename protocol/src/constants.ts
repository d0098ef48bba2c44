/** Wire constants and defaults of the Switchboard tunnel protocol. SPEC.md is the normative text. */

export const PROTOCOL_VERSION = 1;

/** version(1) type(1) flags(2) stream id(4). */
export const HEADER_SIZE = 8;

export const FrameType = {
  Data: 0x0,
  Open: 0x1,
  OpenAck: 0x2,
  Window: 0x3,
  Rst: 0x4,
  Ping: 0x5,
  Pong: 0x6,
  GoAway: 0x7,
  Settings: 0x8,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export const Flag = {
  /** Half-close: the sender will send no more DATA on this stream. Valid on DATA and OPEN_ACK. */
  Fin: 0x0001,
} as const;

/**
 * Codes carried by RST and GOAWAY and by ProtocolError. Receivers must accept unknown codes, so the
 * type is a plain number.
 */
export const ErrorCode = {
  NoError: 0,
  ProtocolError: 1,
  InternalError: 2,
  FlowControlError: 3,
  FrameSizeError: 4,
  /** The stream was not processed (limits, rate, draining); the opener may retry elsewhere. */
  Refused: 5,
  Cancel: 6,
  /** The acceptor's application declined the stream ("cluster offline", "no grant"…). */
  Rejected: 7,
  Timeout: 8,
} as const;
export type ErrorCode = number;

export const SettingId = {
  InitialWindow: 0x1,
  MaxFramePayload: 0x2,
  MaxStreams: 0x3,
  MaxMetadata: 0x4,
} as const;

/** Stream ids are 31 bits; the top bit of the id field is reserved. */
export const MAX_STREAM_ID = 0x7fff_ffff;
export const MAX_WINDOW = 0x7fff_ffff;
export const PING_PAYLOAD_SIZE = 8;
export const MAX_REASON_BYTES = 512;
export const MIN_FRAME_PAYLOAD = 1024;
export const MAX_FRAME_PAYLOAD = 16 * 1024 * 1024;
export const MIN_INITIAL_WINDOW = 1024;

const KiB = 1024;
const MiB = 1024 * KiB;

export const DEFAULTS = {
  initialWindow: 256 * KiB,
  /**
   * Auto-tuning's cap, per stream and (for the growth past `initialWindow`) per session. The relay
   * caps its own windows at 1 MiB, so a larger window at either end of the tunnel adds bytes queued
   * on the shared socket, ahead of every other stream's frames, not throughput.
   */
  maxWindow: 1 * MiB,
  maxFramePayload: 64 * KiB,
  maxStreams: 1024,
  maxMetadata: 16 * KiB,
  openRatePerSecond: 200,
  openBurst: 400,
  pingIntervalMs: 15_000,
  idleTimeoutMs: 45_000,
  writeTimeoutMs: 30_000,
  /**
   * DATA waits while the WebSocket buffers more than this (bytes). Kept small: the kernel's send
   * buffer covers the bandwidth-delay product, and what queues above it delays every other stream.
   */
  highWaterMark: 256 * KiB,
} as const;

/**
 * The options every WebSocket or WebSocketServer carrying a session must be created with: compression
 * off (it defeats the buffered-amount accounting and costs CPU on already-compressed TLS traffic) and
 * a payload cap equal to the largest frame this side announces.
 */
export function webSocketOptions(maxFramePayload: number = DEFAULTS.maxFramePayload): {
  perMessageDeflate: false;
  maxPayload: number;
} {
  return { perMessageDeflate: false, maxPayload: HEADER_SIZE + maxFramePayload };
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

/** True for `localhost`, 127.0.0.0/8 and ::1: traffic that never leaves this machine. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Fills a `ws` masking key with zeros: `ws` then neither copies nor XORs the payload, both ways. */
function zeroMask(mask: Uint8Array): void {
  mask.fill(0);
}

/**
 * `webSocketOptions` for the dialing side. RFC 6455 masking exists so that bytes a hostile page
 * chooses cannot be read as HTTP by an intermediary on the path (cache poisoning); it costs a copy
 * and an XOR of every byte on both ends (over a fifth of the CPU of a bulk stream on loopback). When the
 * peer is on a loopback address no intermediary can sit on the path, so the key is all zeros (still
 * a valid masked frame: `ws` skips the work on both sides). Any other address keeps random keys,
 * TLS or not: TLS-inspecting proxies do parse what is inside.
 */
export function clientWebSocketOptions(
  url: string | URL,
  maxFramePayload: number = DEFAULTS.maxFramePayload,
): ReturnType<typeof webSocketOptions> & { generateMask?: (mask: Uint8Array) => void } {
  const options = webSocketOptions(maxFramePayload);
  return isLoopbackHost(new URL(url).hostname) ? { ...options, generateMask: zeroMask } : options;
}

/** WebSocket close codes used when a session ends (RFC 6455 §7.4.1). */
export const CloseCode = {
  Normal: 1000,
  ProtocolError: 1002,
  PolicyViolation: 1008,
  InternalError: 1011,
} as const;
