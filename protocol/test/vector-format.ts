import { FrameType } from '../src/constants.js';
import type { Frame } from '../src/frame.js';

/** A frame as written in vectors.json: the type by name, byte fields as hex. */
export type FrameJson = Record<string, string | number | boolean | Array<{ id: number; value: number }>> & {
  type: string;
};

/** Vectors use the SPEC's wire names so other implementations can read them. */
const wireNames: Record<keyof typeof FrameType, string> = {
  Data: 'DATA',
  Open: 'OPEN',
  OpenAck: 'OPEN_ACK',
  Window: 'WINDOW',
  Rst: 'RST',
  Ping: 'PING',
  Pong: 'PONG',
  GoAway: 'GOAWAY',
  Settings: 'SETTINGS',
};
const typeByWireName = new Map(
  Object.entries(wireNames).map(([name, wire]) => [wire, FrameType[name as keyof typeof FrameType]]),
);
const wireNameByType = new Map([...typeByWireName].map(([wire, type]) => [type, wire]));

/** `FlowControlError` → `FLOW_CONTROL_ERROR`. */
export function wireCodeName(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

export function frameToJson(frame: Frame): FrameJson {
  const json: FrameJson = { type: wireNameByType.get(frame.type)! };
  for (const [key, value] of Object.entries(frame)) {
    if (key === 'type') continue;
    json[key] = Buffer.isBuffer(value) ? value.toString('hex') : value;
  }
  return json;
}

const bufferFields = new Set(['data', 'metadata', 'opaque']);

export function frameFromJson(json: FrameJson): Frame {
  const frame: Record<string, unknown> = { type: typeByWireName.get(json.type) };
  for (const [key, value] of Object.entries(json)) {
    if (key === 'type') continue;
    frame[key] = bufferFields.has(key) ? Buffer.from(value as string, 'hex') : value;
  }
  return frame as Frame;
}
