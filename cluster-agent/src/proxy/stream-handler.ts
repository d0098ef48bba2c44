/**
 * Answers each stream the relay opens: reads the OPEN metadata, verifies the user's token itself
 * (the relay's word is not taken for who the user is), and only then accepts the stream and
 * serves HTTP on it. Refusals carry the contract's JSON reason, which the local proxy turns into
 * a status for kubectl.
 */
import { ErrorCode, type IncomingStream } from '@switchboard/protocol';
import {
  type Identity,
  IssuerUnavailableError,
  TokenRejectedError,
  type TokenVerifier,
} from '@switchboard/relay-server/identity';
import { agentOpenSchema, type OpenRefusal } from '@switchboard/relay-server/tunnel-contract';
import type { Logger } from '../logger.js';
import type { ApiServerProxy, ConnectionContext } from './apiserver-proxy.js';

/** Names the apiserver reserves for itself; the agent never impersonates them. */
const RESERVED_PREFIX = 'system:';

export interface StreamHandlerOptions {
  verifier: () => TokenVerifier;
  proxy: ApiServerProxy;
  logger: Logger;
}

export function refusal(reason: OpenRefusal['reason'], message: string): string {
  return JSON.stringify({ reason, message: message.slice(0, 400) } satisfies OpenRefusal);
}

export class StreamHandler {
  constructor(private readonly options: StreamHandlerOptions) {}

  readonly handle = (request: IncomingStream): void => {
    this.#handle(request).catch((error: Error) => {
      this.options.logger.error({ stream: request.id, err: error.message }, 'stream handling failed');
      if (!request.signal.aborted) {
        try {
          request.reject('internal error in the cluster agent', ErrorCode.InternalError);
        } catch {}
      }
    });
  };

  async #handle(request: IncomingStream): Promise<void> {
    const log = this.options.logger;
    let json: unknown;
    try {
      json = JSON.parse(request.metadata.toString('utf8'));
    } catch {
      request.reject(refusal('bad-request', 'the OPEN metadata is not JSON'));
      return;
    }
    const parsed = agentOpenSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      request.reject(
        refusal(
          'bad-request',
          `the OPEN metadata is invalid: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown'}`,
        ),
      );
      return;
    }
    const open = parsed.data;
    if (open.mode === 'service-account-token' && !open.serviceAccountToken) {
      request.reject(refusal('bad-request', 'service-account-token mode needs a serviceAccountToken'));
      return;
    }

    let identity: Identity;
    try {
      identity = await this.options.verifier().verify(open.token);
    } catch (error) {
      if (request.signal.aborted) return;
      if (error instanceof TokenRejectedError) {
        log.info({ requestId: open.requestId, reason: error.reason }, 'user token refused');
        request.reject(refusal('unauthenticated', error.reason));
      } else if (error instanceof IssuerUnavailableError) {
        log.warn({ requestId: open.requestId, err: error.message }, 'cannot check the user token');
        // The token may be fine; the agent just cannot check it now. Retryable, unlike unauthenticated.
        request.reject(
          refusal('cluster-offline', `the cluster agent cannot check the token: ${error.message}`),
          ErrorCode.Rejected,
        );
      } else throw error;
      return;
    }
    if (open.mode === 'impersonate') {
      if (identity.username.startsWith(RESERVED_PREFIX)) {
        request.reject(
          refusal(
            'forbidden',
            `the agent does not impersonate "${RESERVED_PREFIX}" users (${identity.username})`,
          ),
        );
        return;
      }
      const reserved = identity.groups.filter((group) => group.startsWith(RESERVED_PREFIX));
      if (reserved.length > 0) {
        log.warn(
          { requestId: open.requestId, user: identity.username, groups: reserved },
          'dropping reserved system: groups from the token (configure a groups prefix on the relay)',
        );
        identity = { ...identity, groups: identity.groups.filter((g) => !g.startsWith(RESERVED_PREFIX)) };
      }
    }
    if (request.signal.aborted) return;

    const stream = request.accept();
    const context: ConnectionContext = {
      identity,
      mode: open.mode,
      requestId: open.requestId,
      ...(open.serviceAccountToken !== undefined && { serviceAccountToken: open.serviceAccountToken }),
    };
    log.debug(
      { requestId: open.requestId, stream: request.id, user: identity.username, mode: open.mode },
      'stream accepted',
    );
    this.options.proxy.serve(stream, context);
  }
}
