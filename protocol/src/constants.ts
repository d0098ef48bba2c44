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
  /**
   * The peer flooded this side: control frames beyond their rate, or more control bytes queued
   * towards it than allowed because it does not read (HTTP/2's ENHANCE_YOUR_CALM). Ends the session.
   */
  EnhanceYourCalm: 9,
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
   * No stream's receive window grows past this, whatever the session's budget (the measured
   * bandwidth-delay product, see receive-budget.ts) would give it: what a peer can make this side
   * hold per stream.
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
   * (64 KiB was tried: the exec echo across a shaped 100 Mbit/s link was no shorter, since the queue
   * there is the kernel's send buffer, bounded by the receive budget instead.)
   */
  highWaterMark: 256 * KiB,
  /**
   * Control frames bypass the high-water mark, so a peer that does not read could otherwise make
   * this side queue PONGs and RSTs without end. A conforming peer keeps a few KiB in flight (1,024
   * OPEN_ACKs are 10 KiB).
   */
  maxQueuedControlBytes: 1 * MiB,
  /**
   * Frames the peer may make this side do work for without anything in return, each a token
   * bucket (`perSecond` refill, `burst` tokens); past one the session ends with ENHANCE_YOUR_CALM.
   * Legitimate peers stay far below: a PING every 15 s; refused OPENs only when over the OPEN rate;
   * and "unproductive" frames (for streams already closed, unmatched PONGs, repeated GOAWAYs,
   * WINDOWs too small to be a conforming grant) only a few per stream that closed in flight.
   */
  floodLimits: {
    ping: { perSecond: 50, burst: 500 },
    refusedOpen: { perSecond: 200, burst: 400 },
    unproductive: { perSecond: 500, burst: 5_000 },
  },
} as const;

/** A token bucket: `burst` tokens at most, refilled at `perSecond`. */
export interface Rate {
  perSecond: number;
  burst: number;
}

/** What a peer may make this side answer or handle for nothing, per kind (see `DEFAULTS.floodLimits`). */
export interface FloodLimits {
  /** PINGs received: each is answered with a PONG. */
  ping: Rate;
  /** OPENs refused by the protocol (over MAX_STREAMS or the OPEN rate, or while draining): each gets an RST. */
  refusedOpen: Rate;
  /**
   * Frames that achieve nothing: DATA without payload, WINDOW or RST for a stream already closed,
   * a WINDOW below half the smallest window, a PONG that matches no PING sent, a GOAWAY after the first.
   */
  unproductive: Rate;
}

/**
 * The options every WebSocket or WebSocketServer carrying a session must be created with: compression
 * off (it defeats the buffered-amount accounting and costs CPU on already-compressed TLS traffic) and
 * a payload cap equal to the largest frame this side announces.
 */
export function webSocketOptions(maxFramePayload: number = DEFAULTS.maxFramePayload): {
  perMessageDeflate: false;
  maxPayload: number;
  autoPong: false;
} {
  // WebSocket pings are not answered: sessions use PING frames, which are rate-limited, while ws
  // would queue a pong for every ping a peer sends, read or not.
  return { perMessageDeflate: false, maxPayload: HEADER_SIZE + maxFramePayload, autoPong: false };
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
