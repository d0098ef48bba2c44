/**
 * Identity tickets and key announcements (see the tunnel contract): how the relay signs them and
 * how the agent verifies them. Shared, so both sides read the same rules.
 */
import { randomBytes } from 'node:crypto';
import type { TunnelMode } from '@switchboard/contract/identity';
import {
  IDENTITY_TICKET_TYPE,
  type IdentityTicketClaims,
  identityTicketClaimsSchema,
  TICKET_ALGORITHM,
  TICKET_MAX_LIFETIME_SECONDS,
  type TicketKeyAnnouncement,
  type TicketKeys,
  type TicketPublicKey,
  ticketKeyAnnouncementPayloadSchema,
  ticketKeysSchema,
} from '@switchboard/contract/tunnel';
import {
  type CryptoKey,
  errors,
  GeneralSign,
  generalVerify,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';

/** Clocks of relay and agent differ a little; the agent accepts tickets this far past `exp`. */
export const TICKET_CLOCK_TOLERANCE_SECONDS = 30;

/** A ticket key with its private half, as the relay holds it. */
export interface TicketSigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: TicketPublicKey;
}

export interface TicketSubject {
  cluster: string;
  username: string;
  groups: readonly string[];
  requestId: string;
  mode: TunnelMode;
  /** When the user's token expires: the ticket expires no later, and carries it as `tokenExp`. */
  tokenExpiresAt: Date;
}

/** Imports a stored key pair (JWK with `d`) for signing. */
export async function importSigningKey(privateJwk: JWK): Promise<TicketSigningKey> {
  const { kty, crv, x, kid } = privateJwk;
  if (kty !== 'OKP' || crv !== 'Ed25519' || !x || !kid)
    throw new Error('a ticket key must be an Ed25519 JWK');
  return {
    kid,
    privateKey: (await importJWK(privateJwk, TICKET_ALGORITHM)) as CryptoKey,
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x, kid, alg: TICKET_ALGORITHM, use: 'sig' },
  };
}

export async function signIdentityTicket(
  key: TicketSigningKey,
  issuer: string,
  subject: TicketSubject,
  nowMs: number,
): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  const tokenExp = Math.floor(subject.tokenExpiresAt.getTime() / 1000);
  const claims: Omit<IdentityTicketClaims, 'iss' | 'aud' | 'sub' | 'iat' | 'exp' | 'jti'> = {
    groups: [...subject.groups],
    requestId: subject.requestId,
    mode: subject.mode,
    tokenExp,
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: TICKET_ALGORITHM, typ: IDENTITY_TICKET_TYPE, kid: key.kid })
    .setIssuer(issuer)
    .setAudience(subject.cluster)
    .setSubject(subject.username)
    .setIssuedAt(iat)
    .setExpirationTime(Math.min(iat + TICKET_MAX_LIFETIME_SECONDS, tokenExp))
    .setJti(randomBytes(16).toString('base64url'))
    .sign(key.privateKey);
}

/** Why a ticket or key announcement was refused; the message never holds the ticket itself. */
export class TicketRejectedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TicketRejectedError';
  }
}

export interface TicketExpectations {
  /** The pinned ticket keys (and issuer). */
  keys: TicketKeys;
  /** The agent's own cluster: the only audience it accepts. */
  cluster: string;
  /** The OPEN's requestId: the ticket is for this stream only. */
  requestId: string;
  /** Milliseconds since the epoch. */
  now: number;
}

/**
 * Verifies a ticket: alg allow-list (EdDSA only), `typ`, a pinned `kid`, signature, `iss`, `aud`,
 * lifetime (≤ 300 s, not expired beyond the clock tolerance), the exact claim set, and the
 * requestId. The caller keeps the replay cache (`jti`).
 */
export async function verifyIdentityTicket(
  ticket: string,
  expected: TicketExpectations,
): Promise<IdentityTicketClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      ticket,
      async (header) => {
        const jwk = expected.keys.keys.find((key) => key.kid === header.kid);
        if (!jwk)
          throw new TicketRejectedError(
            `the ticket is signed with a key the agent does not pin (kid ${JSON.stringify(header.kid)})`,
          );
        return importJWK(jwk, TICKET_ALGORITHM);
      },
      {
        algorithms: [TICKET_ALGORITHM],
        typ: IDENTITY_TICKET_TYPE,
        issuer: expected.keys.issuer,
        audience: expected.cluster,
        clockTolerance: TICKET_CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(expected.now),
        requiredClaims: ['iat', 'exp', 'jti', 'sub'],
      },
    ));
  } catch (error) {
    if (error instanceof TicketRejectedError) throw error;
    if (error instanceof errors.JOSEError)
      throw new TicketRejectedError(`the identity ticket is invalid: ${describeJoseError(error)}`);
    throw error;
  }
  const parsed = identityTicketClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TicketRejectedError(
      `the identity ticket's claims are malformed (${issue?.path.join('.') || 'claims'}: ${issue?.message})`,
    );
  }
  const claims = parsed.data;
  if (claims.exp - claims.iat > TICKET_MAX_LIFETIME_SECONDS) {
    throw new TicketRejectedError(`the identity ticket lives longer than ${TICKET_MAX_LIFETIME_SECONDS} s`);
  }
  if (claims.iat > expected.now / 1000 + TICKET_CLOCK_TOLERANCE_SECONDS) {
    throw new TicketRejectedError('the identity ticket was issued in the future');
  }
  if (claims.exp > claims.tokenExp) {
    throw new TicketRejectedError("the identity ticket outlives the user's token");
  }
  if (claims.requestId !== expected.requestId) {
    throw new TicketRejectedError('the identity ticket was issued for another stream');
  }
  return claims;
}

/** Signs the set of announced keys with every key the relay still holds (one signature each). */
export async function signKeyAnnouncement(
  ticketKeys: TicketKeys,
  signers: readonly TicketSigningKey[],
  nowMs: number,
): Promise<TicketKeyAnnouncement> {
  const payload = JSON.stringify({ ticketKeys, iat: Math.floor(nowMs / 1000) });
  const jws = new GeneralSign(new TextEncoder().encode(payload));
  for (const signer of signers) {
    jws.addSignature(signer.privateKey).setProtectedHeader({ alg: TICKET_ALGORITHM, kid: signer.kid });
  }
  const { payload: encoded, signatures } = await jws.sign();
  return {
    payload: encoded,
    signatures: signatures.map((signature) => ({
      protected: signature.protected!,
      signature: signature.signature,
    })),
  };
}

/**
 * Verifies a key announcement against the pinned keys: some signature must verify with one of
 * them (EdDSA only). Returns the announced keys and their `iat`.
 */
export async function verifyKeyAnnouncement(
  announcement: TicketKeyAnnouncement,
  pinned: TicketKeys,
): Promise<{ ticketKeys: TicketKeys; iat: number }> {
  for (const signature of announcement.signatures) {
    let kid: unknown;
    try {
      kid = JSON.parse(Buffer.from(signature.protected, 'base64url').toString('utf8')).kid;
    } catch {
      continue;
    }
    const jwk = pinned.keys.find((key) => key.kid === kid);
    if (!jwk) continue;
    try {
      const { payload } = await generalVerify(
        { payload: announcement.payload, signatures: [signature] },
        await importJWK(jwk, TICKET_ALGORITHM),
        { algorithms: [TICKET_ALGORITHM] },
      );
      return parseAnnouncementPayload(payload);
    } catch (error) {
      if (error instanceof TicketRejectedError) throw error;
      if (!(error instanceof errors.JOSEError)) throw error;
    }
  }
  throw new TicketRejectedError('no signature of the key announcement verifies with a pinned ticket key');
}

/**
 * Reads an announcement without checking its signatures: only for an agent that pins no ticket
 * keys yet, which trusts its own authenticated session to the relay for the first set.
 */
export function readFirstKeyAnnouncement(announcement: TicketKeyAnnouncement): {
  ticketKeys: TicketKeys;
  iat: number;
} {
  return parseAnnouncementPayload(Buffer.from(announcement.payload, 'base64url'));
}

function parseAnnouncementPayload(bytes: Uint8Array): { ticketKeys: TicketKeys; iat: number } {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new TicketRejectedError('the key announcement is not JSON');
  }
  const parsed = ticketKeyAnnouncementPayloadSchema.safeParse(json);
  if (!parsed.success) throw new TicketRejectedError('the key announcement is malformed');
  return { ticketKeys: ticketKeysSchema.parse(parsed.data.ticketKeys), iat: parsed.data.iat };
}

function describeJoseError(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `${error.claim}: ${error.reason}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  return error.code;
}
