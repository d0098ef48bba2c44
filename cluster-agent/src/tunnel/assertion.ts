/** The agent's proof of possession on each connection: a short-lived JWT signed with its private key. */
import { randomUUID } from 'node:crypto';
import { type CryptoKey, importJWK, SignJWT } from 'jose';
import type { AgentPrivateKey, AgentState } from '../state/state.js';

/** Lifetime of an assertion: it only has to survive the WebSocket handshake. */
export const ASSERTION_LIFETIME_SECONDS = 60;

export async function importPrivateKey(
  source: Pick<AgentState, 'privateKey'> | AgentPrivateKey,
): Promise<CryptoKey> {
  const jwk = 'privateKey' in source ? source.privateKey : source;
  return (await importJWK(jwk, 'ES256')) as CryptoKey;
}

export function signAssertion(
  key: CryptoKey,
  state: Pick<AgentState, 'credentialId' | 'cluster'>,
  audience: string,
  now: number = Date.now(),
): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setIssuer(state.credentialId)
    .setSubject(state.cluster)
    .setAudience(audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ASSERTION_LIFETIME_SECONDS)
    .setJti(randomUUID())
    .sign(key);
}
