import { problemSchema } from '@switchboard/contract/problem-details';
import {
  apiPaths,
  type ClusterView,
  clusterViewListSchema,
  type Whoami,
  whoamiSchema,
} from '@switchboard/contract/relay-api';
import { outboundFetch } from '../outbound/outbound-fetch.js';
import { describeFetchFailure } from './relay-configuration.js';

export type { ClusterView, Whoami };

/** The relay answered an API call with an error (its RFC 9457 problem detail, when it sent one). */
export class RelayApiError extends Error {
  override readonly name = 'RelayApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Why the relay's own view of the caller is unavailable, for `whoami` to say so. */
export type WhoamiResult = { available: true; whoami: Whoami } | { available: false; reason: string };

/** Calls the relay's HTTP API with the user's bearer token; responses validated with the contract. */
export class RelayApiClient {
  constructor(private readonly relayUrl: string) {}

  /**
   * `GET /api/v1/whoami`. A relay that does not serve it (404) or cannot be reached is not an
   * error here: `whoami` then falls back to the token's own claims. A relay that rejects the
   * token is an error, because the user needs to know their token is not accepted.
   */
  async whoami(bearerToken: string): Promise<WhoamiResult> {
    let response: Response;
    try {
      response = await outboundFetch(`${this.relayUrl}${apiPaths.whoami}`, {
        headers: { accept: 'application/json', authorization: `Bearer ${bearerToken}` },
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      return { available: false, reason: `relay unreachable: ${describeFetchFailure(error)}` };
    }
    if (response.status === 404) {
      return { available: false, reason: 'the relay does not serve /api/v1/whoami' };
    }
    if (!response.ok) throw await this.problem(response);
    const parsed = whoamiSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) return { available: false, reason: 'the relay returned an invalid whoami response' };
    return { available: true, whoami: parsed.data };
  }

  /**
   * `GET /api/v1/clusters`: the clusters the caller has a grant on (all of them for an admin), with
   * their connectivity status.
   */
  async listClusters(bearerToken: string): Promise<ClusterView[]> {
    let response: Response;
    try {
      response = await outboundFetch(`${this.relayUrl}${apiPaths.clusters}`, {
        headers: { accept: 'application/json', authorization: `Bearer ${bearerToken}` },
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new RelayApiError(`cannot reach the relay ${this.relayUrl}: ${describeFetchFailure(error)}`, 0);
    }
    if (!response.ok) throw await this.problem(response);
    const parsed = clusterViewListSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success)
      throw new RelayApiError('the relay returned an invalid cluster list', response.status);
    return parsed.data.items;
  }

  private async problem(response: Response): Promise<RelayApiError> {
    const parsed = problemSchema.safeParse(await response.json().catch(() => undefined));
    const detail = parsed.success
      ? `${parsed.data.title}${parsed.data.detail ? `: ${parsed.data.detail}` : ''}`
      : '';
    return new RelayApiError(
      `the relay answered ${response.status}${detail ? ` (${detail})` : ''}`,
      response.status,
    );
  }
}
