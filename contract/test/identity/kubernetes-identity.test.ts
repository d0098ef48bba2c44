/** The identity the apiserver will see: only values already in their final form pass. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  IdentityRefusedError,
  identityValueProblem,
  validateKubernetesIdentity,
} from '../../src/identity/kubernetes-identity.js';

/** Values some parser between the check and RBAC would change, or that cannot be a header value. */
const HOSTILE: Array<[string, string, RegExp]> = [
  ['leading space', ' system:masters', /begins with whitespace.*U\+0020/],
  ['leading tab', '\tsystem:admin', /control character U\+0009/],
  ['trailing space', 'system:masters ', /ends with whitespace.*U\+0020/],
  ['trailing no-break space', 'system:masters\u00a0', /ends with whitespace.*U\+00A0/],
  ['leading ideographic space', '\u3000system:masters', /begins with.*U\+3000/],
  ['leading em space', '\u2003alice', /begins with.*U\+2003/],
  ['trailing line separator', 'alice\u2028', /ends with.*U\+2028/],
  ['leading zero-width space', '\u200bsystem:masters', /begins with.*U\+200B/],
  ['leading byte order mark', '\ufeffsystem:masters', /begins with.*U\+FEFF/],
  ['trailing vertical tab', 'alice\u000b', /control character U\+000B/],
  ['CR LF header injection', 'alice\r\nImpersonate-Group: system:masters', /control character U\+000D/],
  ['LF', 'alice\nx', /control character U\+000A/],
  ['NUL', 'alice\u0000', /control character U\+0000/],
  ['DEL', 'al\u007fice', /control character U\+007F/],
  ['C1 NEL', 'alice\u0085', /control character U\+0085/],
  ['C1 CSI', '\u009bsystem:masters', /control character U\+009B/],
  ['lone high surrogate', 'alice\ud800', /lone UTF-16 surrogate/],
  ['lone low surrogate', '\udc00alice', /lone UTF-16 surrogate/],
  ['empty', '', /is empty/],
  ['too long', 'a'.repeat(513), /longer than 512/],
];

const LEGITIMATE = [
  'alice',
  'josé@x',
  'développeurs',
  'Ærøskøbing',
  '山田太郎',
  'oidc: has inner spaces',
  'علی\u200cرضا', // a Persian name with a zero-width non-joiner inside, as written
  '👩‍💻 dev', // an emoji with a zero-width joiner inside
  'https://issuer.example#0c1f',
  'system', // not the reserved prefix
  'System:masters', // the apiserver compares case-sensitively: not reserved
];

describe('identityValueProblem', () => {
  it.each(HOSTILE)('refuses %s', (_why, value, problem) => {
    expect(identityValueProblem(value)).toMatch(problem);
  });

  it.each(LEGITIMATE)('accepts %j', (value) => {
    expect(identityValueProblem(value)).toBeUndefined();
  });
});

describe('validateKubernetesIdentity', () => {
  it('refuses a username or group not in final form, naming it with escapes, in every mode', () => {
    for (const mode of ['impersonate', 'service-account-token'] as const) {
      for (const [, value] of HOSTILE) {
        expect(() => validateKubernetesIdentity({ username: value, groups: [] }, mode)).toThrow(
          IdentityRefusedError,
        );
        expect(() =>
          validateKubernetesIdentity({ username: 'alice', groups: ['devs', value] }, mode),
        ).toThrow(IdentityRefusedError);
      }
    }
    expect(() =>
      validateKubernetesIdentity({ username: ' system:masters', groups: [] }, 'impersonate'),
    ).toThrow('your username " system:masters" begins with whitespace or an invisible character (U+0020)');
    expect(() =>
      validateKubernetesIdentity({ username: 'alice', groups: ['system:masters\u00a0'] }, 'impersonate'),
    ).toThrow('your group "system:masters\\u00a0" ends with whitespace');
  });

  it('refuses a reserved username and drops reserved groups when impersonating', () => {
    expect(() => validateKubernetesIdentity({ username: 'system:admin', groups: [] }, 'impersonate')).toThrow(
      /reserved by Kubernetes/,
    );
    expect(
      validateKubernetesIdentity(
        { username: 'josé@x', groups: ['développeurs', 'system:masters', 'system:nodes'] },
        'impersonate',
      ),
    ).toEqual({
      username: 'josé@x',
      groups: ['développeurs'],
      droppedGroups: ['system:masters', 'system:nodes'],
    });
  });

  it('in service-account-token mode the names are not impersonated: reserved ones pass unchanged', () => {
    expect(
      validateKubernetesIdentity(
        { username: 'system:admin', groups: ['system:masters'] },
        'service-account-token',
      ),
    ).toEqual({ username: 'system:admin', groups: ['system:masters'], droppedGroups: [] });
  });

  it('refuses more groups, or more bytes, than a ticket carries; 200 Entra group ids fit', () => {
    const groups = Array.from({ length: 257 }, (_, i) => `g${i}`);
    expect(() => validateKubernetesIdentity({ username: 'alice', groups }, 'impersonate')).toThrow(
      /at most 256/,
    );
    const long = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(500, 'x'));
    expect(() => validateKubernetesIdentity({ username: 'alice', groups: long }, 'impersonate')).toThrow(
      /take \d+ bytes; Switchboard passes at most 8192/,
    );
    const entra = Array.from({ length: 200 }, () => randomUUID());
    const validated = validateKubernetesIdentity({ username: randomUUID(), groups: entra }, 'impersonate');
    expect(validated.groups).toHaveLength(200);
  });
});
