export { type BackoffOptions, ReconnectBackoff } from './backoff.js';
export {
  CloseCode,
  clientWebSocketOptions,
  DEFAULTS,
  ErrorCode,
  Flag,
  type FloodLimits,
  FrameType,
  HEADER_SIZE,
  isLoopbackHost,
  PROTOCOL_VERSION,
  type Rate,
  SettingId,
  webSocketOptions,
} from './constants.js';
export { codeName, ProtocolError, StreamResetError } from './errors.js';
export { type DecodeLimits, decodeFrame, encodeFrame, type Frame, type Setting } from './frame.js';
export { IncomingStream } from './incoming-stream.js';
export {
  type CloseReason,
  type GoAwayNotice,
  Session,
  type SessionOptions,
  type SessionSocket,
} from './session.js';
export { spliceStreams } from './splice.js';
export { Stream } from './stream.js';
