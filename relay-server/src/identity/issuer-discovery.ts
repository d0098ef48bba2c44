/** OpenID Connect Discovery: where an issuer publishes its signing keys. */
import { type FetchJsonOptions, fetchJson } from './fetch-json.js';
import { IssuerUnavailableError } from './token-rejected-error.js';

export interface IssuerMetadata {
  issuer: string;
  jwksUri: string;
}

export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

export async function discoverIssuer(issuer: string, options: FetchJsonOptions): Promise<IssuerMetadata> {
  const url = discoveryUrl(issuer);
  const document = await fetchJson(url, options);
  if (typeof document !== 'object' || document === null) {
    throw new IssuerUnavailableError(`${url} is not a discovery document`);
  }
  const { issuer: published, jwks_uri: jwksUri } = document as Record<string, unknown>;
  // OpenID Connect Discovery 1.0 §4.3: the published issuer must be exactly the one asked for,
  // otherwise one issuer could impersonate another.
  if (published !== issuer) {
    throw new IssuerUnavailableError(
      `${url} names issuer ${JSON.stringify(published)}, not the configured ${JSON.stringify(issuer)}`,
    );
  }
  if (typeof jwksUri !== 'string' || !/^https?:\/\//.test(jwksUri)) {
    throw new IssuerUnavailableError(`${url} has no usable jwks_uri`);
  }
  return { issuer, jwksUri };
}
