/**
 * Request authentication as kube-apiserver chains it: client certificate, then static bearer
 * token, each failure remembered; `system:authenticated` added to whoever passes; anonymous only
 * for requests that brought no credentials at all (a bad certificate or token is never anonymous).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { ApiRequest } from '../server/exchange.js';
import { headerText } from './header-text.js';
import { serviceAccountGroups, splitServiceAccountUsername } from './rbac.js';
import { ANONYMOUS_USER, SYSTEM_AUTHENTICATED, SYSTEM_UNAUTHENTICATED, type UserInfo } from './user.js';

export interface TokenUser {
  token: string;
  username: string;
  uid?: string;
  /**
   * Defaults to none, except for service account usernames (`system:serviceaccount:ns:name`),
   * which get the groups a service account token carries.
   */
  groups?: string[];
}

export interface AuthenticatorOptions {
  tokens: TokenUser[];
  /**
   * Client certificates authenticate once the TLS server (`requestCert: true`, `ca` set) has
   * verified them; `false` ignores them, as an apiserver started without --client-ca-file does.
   */
  clientCA?: unknown;
  /** Serve requests without credentials as system:anonymous (--anonymous-auth, on by default). */
  anonymous?: boolean;
}

type Outcome = { user: UserInfo } | { failed: true } | undefined;

interface StoredToken {
  digest: Buffer;
  user: UserInfo;
}

export class Authenticator {
  private readonly tokens: StoredToken[];
  private readonly clientCerts: boolean;
  private readonly anonymous: boolean;

  constructor(options: AuthenticatorOptions) {
    this.tokens = options.tokens.map((t) => ({ digest: digest(t.token), user: tokenUserInfo(t) }));
    this.clientCerts = options.clientCA !== false;
    this.anonymous = options.anonymous ?? false;
  }

  /** Accepts `token` from now on, as for a token issued through serviceaccounts/token. */
  addToken(token: TokenUser): void {
    this.tokens.push({ digest: digest(token.token), user: tokenUserInfo(token) });
  }

  /** Who sent `req`; undefined means the apiserver would answer 401 Unauthorized. */
  authenticate(req: ApiRequest): UserInfo | undefined {
    let failed = false;
    for (const outcome of [this.clientCertificate(req), this.bearerToken(req)]) {
      if (outcome && 'user' in outcome) return withAuthenticatedGroup(outcome.user);
      if (outcome) failed = true;
    }
    if (failed || !this.anonymous) return undefined;
    return { username: ANONYMOUS_USER, groups: [SYSTEM_UNAUTHENTICATED] };
  }

  private clientCertificate(req: ApiRequest): Outcome {
    if (!this.clientCerts) return undefined;
    const socket = req.socket as TLSSocket;
    if (typeof socket.getPeerCertificate !== 'function') return undefined;
    const cert = socket.getPeerCertificate();
    if (!cert || Object.keys(cert).length === 0) return undefined;
    if (!socket.authorized) return { failed: true };
    // x509.CommonNameUserConversion: a certificate without a CN identifies nobody. Go keeps the
    // last CN of the subject and every O.
    const commonName = lastValue(cert.subject?.CN);
    if (!commonName) return undefined;
    return { user: { username: commonName, groups: allValues(cert.subject?.O) } };
  }

  private bearerToken(req: ApiRequest): Outcome {
    const header =
      req.headers.authorization === undefined ? undefined : headerText(req.headers.authorization).trim();
    if (!header) return undefined;
    const parts = header.split(' ');
    if (parts.length < 2 || parts[0]?.toLowerCase() !== 'bearer') return undefined;
    const token = parts[1];
    if (!token) return undefined;
    const wanted = digest(token);
    let match: UserInfo | undefined;
    // Compare against every token so the time taken says nothing about which one matched.
    for (const stored of this.tokens) {
      if (timingSafeEqual(stored.digest, wanted)) match = stored.user;
    }
    return match ? { user: match } : { failed: true };
  }
}

function tokenUserInfo(token: TokenUser): UserInfo {
  const serviceAccount = splitServiceAccountUsername(token.username);
  const groups = token.groups ?? (serviceAccount ? serviceAccountGroups(serviceAccount[0]) : []);
  const user: UserInfo = { username: token.username, groups: [...groups] };
  if (token.uid) user.uid = token.uid;
  return user;
}

/** group.AuthenticatedGroupAdder. */
function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.username === ANONYMOUS_USER) return user;
  if (user.groups.includes(SYSTEM_AUTHENTICATED) || user.groups.includes(SYSTEM_UNAUTHENTICATED)) return user;
  return { ...user, groups: [...user.groups, SYSTEM_AUTHENTICATED] };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function lastValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.at(-1) : value;
}

function allValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value];
}
