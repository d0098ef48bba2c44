/** Thrown when a relay URL is malformed or would send tokens in clear text. */
export class InvalidRelayUrlError extends Error {
  override readonly name = 'InvalidRelayUrlError';
}

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Brings a relay URL to the one spelling that identifies an account (keychain entry, token
 * cache, registry): scheme and host lower-cased, no trailing slash, no query or fragment.
 * Plain http is refused except on loopback (a relay started for development), because the
 * bearer token would otherwise cross the network unencrypted.
 */
export function normalizeRelayUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new InvalidRelayUrlError(
      `"${input}" is not a URL; pass the relay's address, e.g. https://relay.example.com`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidRelayUrlError(`the relay URL must start with https:// (got ${url.protocol})`);
  }
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    throw new InvalidRelayUrlError(
      `refusing plain http for ${url.host}: tokens would travel unencrypted; use https://${url.host}`,
    );
  }
  if (url.username || url.password) {
    throw new InvalidRelayUrlError('the relay URL must not contain a user name or password');
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}
