/**
 * Serves the provider under the path of its issuer (`<relay>/dev-idp/…`) from a plain Node
 * request handler, the way Express mounts a sub-application:
 *
 * - the prefix is stripped from `req.url` and the full URL kept in `req.originalUrl`, which is
 *   where oidc-provider reads its mount path from when it builds endpoint URLs;
 * - the origin of every URL it builds is pinned to the issuer's (via `X-Forwarded-Host/Proto`
 *   on a provider with `proxy` on), so discovery and redirects carry the public issuer URL even
 *   behind a TLS-terminating proxy, and a forged `Host` header cannot redirect them elsewhere;
 *   it also makes cookies `Secure` exactly when the issuer is https.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionHandler } from './interactions.js';
import { errorPage, PAGE_HEADERS } from './views.js';

/** Path segment (below the issuer path) of the sign-in pages. */
export const INTERACTION_SEGMENT = '/interaction/';

/** The issuer's path without a trailing slash: `/dev-idp`, or empty for an issuer at the root. */
export function issuerPrefix(issuer: string): string {
  return new URL(issuer).pathname.replace(/\/$/, '');
}

function notFound(res: ServerResponse, status = 404, message = 'There is no page here.'): void {
  res.writeHead(status, PAGE_HEADERS);
  res.end(errorPage('not_found', message));
}

export interface Mount {
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** From now on every request is refused. */
  close(): void;
}

export function mountProvider(issuer: string, provider: Provider, interactions: InteractionHandler): Mount {
  const issuerUrl = new URL(issuer);
  const prefix = issuerPrefix(issuer);
  const forwardedProto = issuerUrl.protocol.slice(0, -1);
  const providerCallback = provider.callback();
  provider.proxy = true;
  let closed = false;

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const originalUrl = req.url ?? '/';
    const rest = originalUrl.slice(prefix.length);
    if (!originalUrl.startsWith(prefix) || !(rest === '' || rest.startsWith('/') || rest.startsWith('?'))) {
      notFound(res);
      return;
    }
    if (closed) {
      notFound(res, 503, 'The dev identity provider has stopped.');
      return;
    }

    req.headers['x-forwarded-host'] = issuerUrl.host;
    req.headers['x-forwarded-proto'] = forwardedProto;
    const innerUrl = rest.startsWith('/') ? rest : `/${rest}`;
    const innerPath = innerUrl.split('?', 1)[0] ?? '';

    if (innerPath.startsWith(INTERACTION_SEGMENT)) {
      const uid = innerPath.slice(INTERACTION_SEGMENT.length);
      if (uid === '' || uid.includes('/')) notFound(res);
      else void interactions(req, res, uid);
      return;
    }

    Object.assign(req, { originalUrl });
    req.url = innerUrl;
    void providerCallback(req, res);
  };

  return {
    handler,
    close: () => {
      closed = true;
    },
  };
}
