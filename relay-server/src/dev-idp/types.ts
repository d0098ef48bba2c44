/**
 * Public shapes of the development identity provider. They live apart from `index.ts` so the
 * internal modules can share them without importing the entry point.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DevIdpRecords } from './storage.js';

/** A person who can sign in at the dev identity provider. */
export interface DevIdpUser {
  username: string;
  password: string;
  email?: string;
  name?: string;
  groups: string[];
}

/** A CI service principal: signs in with the client credentials grant and acts as `username`. */
export interface DevIdpServiceClient {
  clientId: string;
  clientSecret: string;
  username: string;
  groups: string[];
}

export interface DevIdpOptions {
  /** Issuer identifier, e.g. `${relayUrl}/dev-idp`; its path is the prefix the provider is mounted under. */
  issuer: string;
  /** Who can sign in; an empty list means the built-in demo users (`DEV_IDP_DEMO_USERS`). */
  users: DevIdpUser[];
  /** The public client (no secret) desktop and CLI sign in with, e.g. `switchboard-cli`. */
  publicClientId: string;
  /** Confidential clients that use the client credentials grant. */
  serviceClients?: DevIdpServiceClient[];
  /** RFC 8707 resource indicator; every access token is a JWT with this audience. */
  resource: string;
  /** Lifetime of access tokens; 600 s unless set. */
  accessTokenTtlSeconds?: number;
  /**
   * Where refresh tokens and grants outlive a restart (the relay's registry); without it they live
   * in memory, like everything else the provider keeps.
   */
  records?: DevIdpRecords;
}

export interface DevIdp {
  issuer: string;
  /** Serves every request whose path starts with the issuer's path, given with that path unchanged. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  close(): Promise<void>;
}
