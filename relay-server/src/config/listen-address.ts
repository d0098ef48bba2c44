import { isIP } from 'node:net';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `HOST:PORT`, with IPv6 hosts in brackets (`[::1]:8443`); PORT 0 picks a free port. */
export function parseListenAddress(value: string): ListenAddress | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(value);
  if (!match) return undefined;
  const host = match[1]!.replace(/^\[|\]$/g, '');
  const port = Number(match[2]);
  if (port > 65535) return undefined;
  if (match[1]!.startsWith('[') && isIP(host) !== 6) return undefined;
  return { host, port };
}

/** Loopback addresses never leave the machine, so plain HTTP on them cannot be sniffed. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** A wildcard address listens on every interface, so it names none the other replicas could dial. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}
