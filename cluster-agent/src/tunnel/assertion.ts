/** The agent's proof of possession on each connection: a short-lived JWT signed with its private key. */
import { randomUUID } from 'node:crypto';
import { agentAssertionClaims } from '@switchboard/contract/agent-assertion';
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
  const claims = agentAssertionClaims(state, audience, {
    issuedAt: Math.floor(now / 1000),
    lifetimeSeconds: ASSERTION_LIFETIME_SECONDS,
    jti: randomUUID(),
  });
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).sign(key);
}
