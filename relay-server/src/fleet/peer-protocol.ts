/**
 * How replicas talk to each other: a tunnel-protocol session over a WebSocket to `PEER_TUNNEL_PATH`
 * on the replica's peer URL, authenticated by a peer assertion (`peer-auth.ts`). Each stream is one
 * user stream forwarded to the replica holding the cluster's agent; its OPEN metadata is a
 * `ForwardOpen` (JSON) and carries the agent's OPEN exactly as the forwarding replica made it
 * (its identity ticket included), so the holder only picks an agent session and splices.
 *
 * Example metadata:
 *   {"type":"forward","cluster":"prod","agentOpen":"{\"type\":\"request\",\"ticket\":\"eyJ…\",\"requestId\":\"9f…\"}"}
 *
 * Refusals come back as RST: `Rejected` with the agent's own refusal JSON (passed through to the
 * user unchanged), `Refused` when the holder has no usable session of the cluster any more (the
 * forwarder tries another holder).
 */
import { clusterNameSchema } from '@switchboard/contract/relay-api';
import { z } from 'zod';

export const PEER_TUNNEL_PATH = '/api/v1/relay/peer';

/** An agent OPEN is a ticket plus, at most, a service-account token: well below this. */
const MAX_AGENT_OPEN_CHARS = 14 * 1024;

export const forwardOpenSchema = z.strictObject({
  type: z.literal('forward'),
  cluster: clusterNameSchema,
  agentOpen: z.string().min(2).max(MAX_AGENT_OPEN_CHARS),
});

export type ForwardOpen = z.infer<typeof forwardOpenSchema>;
