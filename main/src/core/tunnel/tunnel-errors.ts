/**
 * Why a tunnel stream could not be opened, as typed errors: every consumer (the local proxy's
 * Kubernetes `Status` answers, the app's `AppError`) reads the cause from the fields, never from the
 * message.
 */

import { type OpenRefusal, openRefusalSchema } from '@switchboard/contract/tunnel';
import { ErrorCode, StreamResetError } from '@switchboard/protocol';

/** The relay session is not up (never connected, or reconnecting: the tunnel keeps retrying). */
export class RelayUnavailableError extends Error {
  override readonly name = 'RelayUnavailableError';
  constructor(
    readonly relayUrl: string,
    readonly detail: string,
  ) {
    super(`the Switchboard relay ${relayUrl} is unreachable (${detail})`);
  }
}

/**
 * The relay (or the agent behind it) refused to open the stream, with the contract's reason; the
 * message says what that means for this cluster.
 */
export class TunnelRefusedError extends Error {
  override readonly name = 'TunnelRefusedError';
  constructor(
    readonly refusal: OpenRefusal,
    readonly cluster: string,
  ) {
    super(refusalSentence(refusal, cluster));
  }
}

function refusalSentence({ reason, message }: OpenRefusal, cluster: string): string {
  const detail = message ? ` (${message})` : '';
  switch (reason) {
    case 'cluster-offline':
      return `cluster "${cluster}" is offline: its agent is not connected to the relay${detail}`;
    case 'unauthenticated':
      return `the relay did not accept your sign-in${detail}`;
    case 'forbidden':
      return `you have no access to cluster "${cluster}"${detail}`;
    case 'unknown-cluster':
      return `the relay knows no cluster "${cluster}"${detail}`;
    case 'rate-limited':
      return `too many connections to the relay${detail}`;
    case 'bad-request':
      return `the relay rejected the request${detail}`;
  }
}

/** Reads a refusal out of an RST reason, when it is one (code REJECTED with the contract's JSON). */
export function refusalOf(error: unknown): OpenRefusal | undefined {
  if (!(error instanceof StreamResetError) || error.code !== ErrorCode.Rejected) return undefined;
  try {
    const parsed = openRefusalSchema.safeParse(JSON.parse(error.reason));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
