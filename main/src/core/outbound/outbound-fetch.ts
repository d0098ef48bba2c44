/**
 * `fetch` for what the desktop app and CLI ask of the relay and of the OpenID issuer: through
 * `HTTPS_PROXY`/`HTTP_PROXY` unless `NO_PROXY` says otherwise, by the same rules as every other
 * Switchboard process (`@switchboard/http-edge/outbound`). Node 20's own `fetch` ignores those
 * variables, so a proxied request goes through undici's `fetch` with a `ProxyAgent` (CONNECT).
 */
import { proxyFor } from '@switchboard/http-edge/outbound';
import { ProxyAgent, fetch as undiciFetch } from 'undici';

const proxyAgents = new Map<string, ProxyAgent>();

function proxyAgent(proxy: URL): ProxyAgent {
  let agent = proxyAgents.get(proxy.href);
  if (!agent) {
    agent = new ProxyAgent(proxy.href);
    proxyAgents.set(proxy.href, agent);
  }
  return agent;
}

/** `fetch(url, init)`, taking the proxy the environment names for `url`. */
export function outboundFetch(url: string | URL, init?: RequestInit): Promise<Response> {
  const proxy = proxyFor(new URL(url));
  if (!proxy) return fetch(url, init);
  // undici's Response is not the global class but has the Fetch API's shape and tag, which is what
  // callers (and openid-client's checks) rely on.
  return undiciFetch(url, {
    ...(init as Parameters<typeof undiciFetch>[1]),
    dispatcher: proxyAgent(proxy),
  }) as unknown as Promise<Response>;
}
