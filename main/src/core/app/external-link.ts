/**
 * Which links the core opens in the user's browser on the renderer's request: https, or plain http
 * to this machine (a relay started for development). Anything else (file:, javascript:, http across
 * the network) is refused, since the renderer is untrusted input and the browser would act on it.
 */
import { isLoopbackHostname } from '../relay-client/relay-url.js';
import { AppRequestError } from './app-error.js';

/** The link to open, as the browser gets it; `invalid-request`, naming the scheme, when it may not be. */
export function externalLinkToOpen(url: string): string {
  const parsed = new URL(url);
  const allowed =
    parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHostname(parsed.hostname));
  if (!allowed) {
    throw new AppRequestError(
      'invalid-request',
      `only https:// links are opened in the browser, not ${parsed.protocol}`,
    );
  }
  return parsed.href;
}
