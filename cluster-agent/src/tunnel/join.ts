/** The join exchange: a single-use join token and the agent's public key for a credential. */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import {
  type AgentJoinRequest,
  type AgentJoinResponse,
  type AgentPublicKey,
  agentJoinResponseSchema,
  joinTokenSchema,
} from '@switchboard/contract/tunnel';
import { exportJWK, generateKeyPair } from 'jose';
import { type AgentPrivateKey, type AgentState, agentPrivateKeySchema } from '../state/state.js';
import { AGENT_VERSION } from '../version.js';
import { joinUrl } from './relay-urls.js';

export class JoinError extends Error {
  constructor(
    message: string,
    /** The relay said no (bad, used or expired token): retrying with the same token cannot help. */
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'JoinError';
  }
}

export function joinTokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface JoinOptions {
  relay: URL;
  joinToken: string;
  agent: http.Agent;
  timeoutMs?: number;
}

export async function join(options: JoinOptions): Promise<AgentState> {
  const token = joinTokenSchema.safeParse(options.joinToken);
  if (!token.success) {
    throw new JoinError('the join token is malformed (expected sbj_ followed by 43 characters)', true);
  }
  const privateJwk = await generatePrivateKey();
  const request: AgentJoinRequest = {
    joinToken: token.data,
    publicKey: publicKeyOf(privateJwk),
    agentVersion: `switchboard-agent/${AGENT_VERSION}`.slice(0, 64),
  };
  const url = joinUrl(options.relay);
  const { status, body } = await postJson(url, request, options.agent, options.timeoutMs ?? 30_000);
  if (status !== 200 && status !== 201) {
    const detail = problemDetail(body) ?? `HTTP ${status}`;
    const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
    throw new JoinError(
      permanent
        ? `the relay refused the join token: ${detail}; ask an admin for a new join token`
        : `the relay could not process the join (${detail})`,
      permanent,
    );
  }
  const parsed = agentJoinResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new JoinError(
      `the relay's join response is not what the agent expects: ${parsed.error.message}`,
      false,
    );
  }
  const response: AgentJoinResponse = parsed.data;
  const now = new Date().toISOString();
  return {
    version: 1,
    relay: options.relay.href.replace(/\/+$/, ''),
    cluster: response.cluster,
    credentialId: response.credentialId,
    issuedAt: response.issuedAt ?? now,
    expiresAt: response.expiresAt,
    ticketKeys: response.ticketKeys,
    privateKey: privateJwk,
    joinedAt: now,
    joinTokenSha256: joinTokenDigest(token.data),
  };
}

/** A new ES256 key pair as the private JWK (which holds the public point too). */
export async function generatePrivateKey(): Promise<AgentPrivateKey> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return agentPrivateKeySchema.parse(await exportJWK(privateKey));
}

/** The public half the relay stores. */
export function publicKeyOf(privateKey: AgentPrivateKey): AgentPublicKey {
  return { kty: 'EC', crv: 'P-256', x: privateKey.x, y: privateKey.y };
}

/** The human part of an RFC 9457 problem (or any JSON error body). */
export function problemDetail(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) {
    return typeof body === 'string' && body.trim() ? body.trim().slice(0, 300) : undefined;
  }
  const record = body as Record<string, unknown>;
  const parts = [record.title, record.detail ?? record.message].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  return parts.length > 0 ? parts.join(': ') : undefined;
}

/** POSTs JSON to the relay; network and TLS failures reject with a JoinError. */
export function postJson(
  url: URL,
  body: unknown,
  agent: http.Agent,
  timeoutMs: number,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': String(payload.length),
        accept: 'application/json, application/problem+json',
        ...headers,
      },
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (isCertificateError(error)) {
        reject(
          new JoinError(
            `the relay's TLS certificate is not trusted (${error.message}); pass its CA with --ca-file`,
            true,
          ),
        );
      } else reject(new JoinError(`cannot reach the relay at ${url.origin}: ${error.message}`, false));
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > 1024 * 1024) response.destroy(new Error('the join response is too large'));
        else chunks.push(chunk);
      });
      response.on('error', (error) => reject(new JoinError(error.message, false)));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {}
        resolve({ status: response.statusCode ?? 0, body: parsed });
      });
    });
    request.end(payload);
  });
}

/** TLS verification failures: configuration, not a passing outage. */
export function isCertificateError(error: NodeJS.ErrnoException): boolean {
  const code = error.code ?? '';
  return (
    code.startsWith('ERR_TLS_CERT') ||
    code.includes('CERT') ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
  );
}
