import {
  CONFIGURATION_PATH,
  type SwitchboardConfiguration,
  switchboardConfigurationSchema,
} from '@switchboard/contract/relay-api';
import { outboundFetch } from '../outbound/outbound-fetch.js';

export type { SwitchboardConfiguration };

/** The relay could not be reached, or did not answer like a Switchboard relay. */
export class RelayConfigurationError extends Error {
  override readonly name = 'RelayConfigurationError';
}

/**
 * Fetches what a client needs to sign in to a relay (issuer, client id, scopes, resource), so the
 * user only ever types the relay URL. Validated at the edge: nothing downstream sees unchecked
 * JSON from the network.
 */
export async function fetchRelayConfiguration(
  relayUrl: string,
  options: { signal?: AbortSignal } = {},
): Promise<SwitchboardConfiguration> {
  const url = `${relayUrl}${CONFIGURATION_PATH}`;
  let response: Response;
  try {
    response = await outboundFetch(url, {
      headers: { accept: 'application/json' },
      signal: options.signal ?? AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new RelayConfigurationError(
      `cannot reach the relay at ${relayUrl}: ${describeFetchFailure(error)}`,
    );
  }
  if (!response.ok) {
    throw new RelayConfigurationError(
      `${url} answered ${response.status} ${response.statusText}; is ${relayUrl} a Switchboard relay?`,
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new RelayConfigurationError(`${url} did not return JSON; is ${relayUrl} a Switchboard relay?`);
  }
  const parsed = switchboardConfigurationSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new RelayConfigurationError(`${url} returned an invalid configuration (${problems.join('; ')})`);
  }
  return parsed.data;
}

/** Node's fetch hides the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`. */
export function describeFetchFailure(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause;
    if (cause instanceof Error) return cause.message;
    return error.message;
  }
  return String(error);
}
