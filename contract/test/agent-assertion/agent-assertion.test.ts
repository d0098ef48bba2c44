/** The agent assertion's claims: what the agent builds is what the relay's schema reads. */
import { describe, expect, it } from 'vitest';
import {
  AGENT_ASSERTION_CLAIMS,
  agentAssertionAudience,
  agentAssertionClaims,
  agentAssertionClaimsSchema,
} from '../../src/agent-assertion/agent-assertion.js';

const subject = { credentialId: 'cred_1', cluster: 'prod' };

describe('agent assertion claims', () => {
  it('are built from the credential, the audience and the issue time, and pass the schema', () => {
    const claims = agentAssertionClaims(subject, 'https://relay.example/api/v1/agent/tunnel', {
      issuedAt: 1_000,
      lifetimeSeconds: 60,
      jti: 'a3c5e0f4-1b2d-4e6f-8a9b-0c1d2e3f4a5b',
    });
    expect(claims).toEqual({
      iss: 'cred_1',
      sub: 'prod',
      aud: 'https://relay.example/api/v1/agent/tunnel',
      iat: 1_000,
      exp: 1_060,
      jti: 'a3c5e0f4-1b2d-4e6f-8a9b-0c1d2e3f4a5b',
    });
    expect(agentAssertionClaimsSchema.parse(claims)).toEqual(claims);
    expect([...AGENT_ASSERTION_CLAIMS].sort()).toEqual(Object.keys(claims).sort());
  });

  it.each([
    ['an empty jti', { jti: '' }, 'jti'],
    ['a jti over 256 characters', { jti: 'j'.repeat(257) }, 'jti'],
    ['a subject that is no cluster name', { sub: 'Prod_Cluster' }, 'sub'],
    ['no credential id', { iss: '' }, 'iss'],
  ])('refuses %s', (_name, change, field) => {
    const claims = {
      ...agentAssertionClaims(subject, 'aud', { issuedAt: 0, lifetimeSeconds: 60, jti: 'x' }),
    };
    const parsed = agentAssertionClaimsSchema.safeParse({ ...claims, ...change });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual([field]);
  });

  it('name the relay agent tunnel URL as audience, whatever trailing slashes the relay URL has', () => {
    expect(agentAssertionAudience('https://relay.example')).toBe('https://relay.example/api/v1/agent/tunnel');
    expect(agentAssertionAudience('https://relay.example/prefix//')).toBe(
      'https://relay.example/prefix/api/v1/agent/tunnel',
    );
  });
});
