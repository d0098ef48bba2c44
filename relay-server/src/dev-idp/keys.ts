/**
 * Signing keys of the dev identity provider. A fresh key pair is generated at every start and
 * only ever held in memory, so no private key is committed or written anywhere; the price is that
 * tokens issued before a restart no longer verify after it: clients renew them with their refresh
 * token (kept across restarts, `storage.ts`) or their client credentials.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** The one algorithm the provider signs with (ID tokens and JWT access tokens alike). */
export const SIGNING_ALG = 'ES256';

/** A private JWK set with one ES256 key; the provider publishes its public half at `jwks_uri`. */
export async function generateSigningJwks(): Promise<{ keys: JWK[] }> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { keys: [{ ...jwk, kid: randomUUID(), alg: SIGNING_ALG, use: 'sig' }] };
}
