import { agentAssertionAudience } from '@switchboard/contract/agent-assertion';
import { tunnelPaths } from '@switchboard/contract/tunnel';

/** The relay's base URL as given (`https://relay.example.com`, maybe with a path prefix), normalised. */
export function relayBaseUrl(relay: string): URL {
  let url: URL;
  try {
    url = new URL(relay);
  } catch {
    throw new Error(`--relay must be a URL like https://relay.example.com, got "${relay}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`--relay must be an http(s) URL, got "${relay}"`);
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  url.search = '';
  url.hash = '';
  return url;
}

export function joinUrl(base: URL): URL {
  return new URL(`${base.href.replace(/\/+$/, '')}${tunnelPaths.agentJoin}`);
}

export function rotateUrl(base: URL): URL {
  return new URL(`${base.href.replace(/\/+$/, '')}${tunnelPaths.agentRotate}`);
}

/** The agent tunnel URL in ws(s) form, which the WebSocket dials; its http(s) form is the assertions' `aud`. */
export function tunnelWebSocketUrl(base: URL): string {
  return agentAssertionAudience(base.href).replace(/^http/, 'ws');
}
