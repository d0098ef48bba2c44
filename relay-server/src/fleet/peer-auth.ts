/**
 * Replica-to-replica authentication. A replica dialing another presents a short-lived JWT (HS256)
 * under a key every replica derives from the fleet's shared sealing key; its audience names the
 * replica it is meant for, so one captured on the way to one replica opens nothing at another, and
 * its `jti` is remembered until it expires, so it opens one session only.
 */
import { randomBytes } from 'node:crypto';
import { ReplayCache } from '@switchboard/tickets';
import { jwtVerify, SignJWT } from 'jose';

const ALGORITHM = 'HS256';
const LIFETIME_SECONDS = 60;
const CLOCK_SKEW_SECONDS = 30;
/** The HKDF purpose of the key (a new one replaces every replica's key at once). */
export const PEER_KEY_PURPOSE = 'switchboard relay peer authentication v1';

export class PeerAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeerAuthError';
  }
}

export class PeerAuthenticator {
  readonly #key: Uint8Array;
  readonly #replays = new ReplayCache(CLOCK_SKEW_SECONDS);

  constructor(
    key: Uint8Array,
    readonly replicaId: string,
  ) {
    this.#key = key;
  }

  /** The assertion this replica presents to `targetReplicaId`. */
  assertionFor(targetReplicaId: string): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: ALGORITHM })
      .setIssuer(this.replicaId)
      .setAudience(audienceOf(targetReplicaId))
      .setIssuedAt()
      .setExpirationTime(`${LIFETIME_SECONDS}s`)
      .setJti(randomBytes(16).toString('base64url'))
      .sign(this.#key);
  }

  /** The replica the assertion comes from; throws PeerAuthError. */
  async verify(assertion: string): Promise<string> {
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(assertion, this.#key, {
        algorithms: [ALGORITHM],
        audience: audienceOf(this.replicaId),
        clockTolerance: CLOCK_SKEW_SECONDS,
        maxTokenAge: `${LIFETIME_SECONDS + CLOCK_SKEW_SECONDS}s`,
        requiredClaims: ['iss', 'exp', 'iat', 'jti'],
      }));
    } catch (error) {
      throw new PeerAuthError(`the peer assertion is invalid: ${(error as Error).message}`);
    }
    const { iss, exp, jti } = payload as { iss: string; exp: number; jti: string };
    if (!this.#replays.remember(`${iss} ${jti}`, exp, Math.floor(Date.now() / 1000))) {
      throw new PeerAuthError('the peer assertion was already used');
    }
    return iss;
  }
}

function audienceOf(replicaId: string): string {
  return `switchboard-relay-peer:${replicaId}`;
}
