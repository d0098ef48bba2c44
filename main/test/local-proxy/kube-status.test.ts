/**
 * The Status the local proxy answers kubectl with for each failure: a code and the reason the
 * kube-apiserver pairs with it, so kubectl prints `Error from server (<reason>)` as it would for
 * the same failure of a real apiserver.
 */
import { ErrorCode, StreamResetError } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { statusForFailure } from '../../src/core/local-proxy/kube-status.js';
import { SignInRequiredError } from '../../src/core/session/sign-in-required-error.js';
import { RelayUnavailableError, TunnelRefusedError } from '../../src/core/tunnel/tunnel-errors.js';

const RELAY = 'https://relay.example';
const context = { cluster: 'dev', relayUrl: RELAY };
const codeAndReason = (error: unknown) => {
  const { code, reason } = statusForFailure(error, context);
  return [code, reason];
};

describe('statusForFailure', () => {
  it('pairs every code with the reason the kube-apiserver uses for it', () => {
    expect(codeAndReason(new SignInRequiredError(RELAY, 'the refresh token expired'))).toEqual([
      401,
      'Unauthorized',
    ]);
    expect(codeAndReason(new RelayUnavailableError(RELAY, 'connection refused'))).toEqual([
      503,
      'ServiceUnavailable',
    ]);
    const refusals = [
      ['cluster-offline', 503, 'ServiceUnavailable'],
      ['unauthenticated', 401, 'Unauthorized'],
      ['forbidden', 403, 'Forbidden'],
      ['unknown-cluster', 404, 'NotFound'],
      ['rate-limited', 429, 'TooManyRequests'],
      ['bad-request', 400, 'BadRequest'],
    ] as const;
    for (const [reason, code, statusReason] of refusals) {
      expect(codeAndReason(new TunnelRefusedError({ reason, message: '' }, 'dev')), reason).toEqual([
        code,
        statusReason,
      ]);
    }
    // The tunnel failing under a request: the cluster cannot be reached, as the apiserver's proxy
    // answers a backend it cannot dial.
    expect(codeAndReason(new StreamResetError(ErrorCode.Cancel, 'session closed', true))).toEqual([
      503,
      'ServiceUnavailable',
    ]);
    expect(codeAndReason(new Error('the token file is empty'))).toEqual([500, 'InternalError']);
  });

  it('reads a refusal out of a raw stream reset, and says what it means for the cluster', () => {
    const reset = new StreamResetError(
      ErrorCode.Rejected,
      JSON.stringify({ reason: 'forbidden', message: 'no grant' }),
      true,
    );
    expect(statusForFailure(reset, context)).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'Switchboard: you have no access to cluster "dev" (no grant); ask a relay administrator for a grant',
    });
  });

  it('tells kubectl that the proxy keeps retrying an unreachable relay', () => {
    expect(statusForFailure(new RelayUnavailableError(RELAY, 'connection refused'), context).message).toBe(
      `Switchboard: the Switchboard relay ${RELAY} is unreachable (connection refused); the local proxy keeps retrying`,
    );
  });
});
