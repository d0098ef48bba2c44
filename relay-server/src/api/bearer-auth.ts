/** RFC 6750 bearer authentication of API requests. */
import type { IncomingMessage } from 'node:http';
import type { Identity } from '@switchboard/contract/identity';
import { PROBLEM_TYPES } from '@switchboard/contract/problem-details';
import { IssuerUnavailableError, TokenRejectedError } from '../identity/token-rejected-error.js';
import type { TokenVerifier } from '../identity/token-verifier.js';
import { HttpProblem } from './http-problem.js';

const REALM = 'switchboard';

export async function authenticate(req: IncomingMessage, verifier: TokenVerifier): Promise<Identity> {
  const header = req.headers.authorization;
  if (header === undefined) {
    // RFC 6750 §3.1: a request without credentials gets no error code, just the challenge.
    throw unauthorized('this API needs a bearer token (sign in first)', `Bearer realm="${REALM}"`);
  }
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  if (!match) throw invalidToken('the Authorization header is not "Bearer <token>"');
  try {
    return await verifier.verify(match[1]!);
  } catch (error) {
    if (error instanceof TokenRejectedError) throw invalidToken(error.reason);
    if (error instanceof IssuerUnavailableError) {
      throw new HttpProblem(
        503,
        PROBLEM_TYPES.notReady,
        'Issuer unavailable',
        'the relay cannot reach its OpenID issuer to check the token; try again shortly',
        { 'retry-after': '5' },
      );
    }
    throw error;
  }
}

function invalidToken(reason: string): HttpProblem {
  return unauthorized(
    reason,
    `Bearer realm="${REALM}", error="invalid_token", error_description="${quotable(reason)}"`,
  );
}

function unauthorized(detail: string, challenge: string): HttpProblem {
  return new HttpProblem(401, PROBLEM_TYPES.unauthorized, 'Unauthorized', detail, {
    'www-authenticate': challenge,
  });
}

/** RFC 6750 limits error_description to printable ASCII other than `"` and `\`. */
function quotable(text: string): string {
  return text.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, "'");
}
