/**
 * The one check of the identity the apiserver will see (`Impersonate-User`, `Impersonate-Group`).
 * The relay runs it before it signs an identity ticket; the agent runs it again on the verified
 * ticket before it impersonates anyone.
 *
 * The rule is "refuse what is not already in its final form", not "clean it up": a value is
 * accepted only when every parser between this check and the apiserver's RBAC lookup leaves it
 * unchanged. HTTP parsers trim surrounding whitespace of header values (Node's and Go's both), so
 * `" system:masters"` would pass a `startsWith('system:')` check here and become `system:masters`
 * there. Control characters end or split header lines (or are refused by some parsers and not
 * others); lone surrogates cannot be encoded as UTF-8 and are replaced with U+FFFD. Leading or
 * trailing invisible format characters (U+200B, U+FEFF…) are refused too: some tools strip them.
 * Non-ASCII letters are legitimate (josé, développeurs) and pass: the agent sends them as UTF-8
 * bytes, as client-go does. Inside a value, spaces and format characters such as U+200C (needed
 * in Persian names) are kept: nothing trims there, and the apiserver compares names byte for byte.
 *
 * Reserved names: the apiserver's own (`system:` prefix). A username with it is refused; groups
 * with it are dropped (the user gets fewer rights, never more) and reported so they can be logged.
 */
import type { TunnelMode } from './identity.js';

/** Names the apiserver reserves for itself (`system:masters`, `system:admin`, `system:node:…`). */
export const RESERVED_PREFIX = 'system:';

/** Longest accepted username or group name (UTF-16 code units); real names are far shorter. */
export const MAX_IDENTITY_VALUE_LENGTH = 512;
/** Most groups one identity may carry to the apiserver (Entra ID lists at most 200 in a token). */
export const MAX_IDENTITY_GROUPS = 256;
/**
 * Most bytes of username and groups together (as JSON): the identity ticket carrying them must fit
 * the agent OPEN (`agentRequestOpenSchema`, inside the protocol's 16 KiB metadata). 200 Entra group
 * ids take 7.8 KB.
 */
export const MAX_IDENTITY_BYTES = 8192;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** C0 controls, DEL and C1 controls (U+0085 NEL among them): never part of a header value. */
const CONTROL = /\p{Cc}/u;
/** Whitespace or invisible format characters at either end: trimmed by some parser on the way. */
const EDGE = /^[\s\p{Cf}\p{Zs}]|[\s\p{Cf}\p{Zs}]$/u;

export class IdentityRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityRefusedError';
  }
}

export interface KubernetesIdentity {
  username: string;
  groups: string[];
}

export interface ValidatedIdentity extends KubernetesIdentity {
  /** Reserved groups that were dropped (log them: the issuer should not send them). */
  droppedGroups: string[];
}

/**
 * Why `value` cannot be sent to the apiserver as it is, or undefined when it can. The reason
 * names the offending character by code point, never echoes control characters.
 */
export function identityValueProblem(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (value.length > MAX_IDENTITY_VALUE_LENGTH) {
    return `is longer than ${MAX_IDENTITY_VALUE_LENGTH} characters`;
  }
  if (LONE_SURROGATE.test(value)) return 'contains a lone UTF-16 surrogate (not encodable as UTF-8)';
  const control = CONTROL.exec(value);
  if (control) return `contains the control character ${codePoint(control[0])}`;
  const edge = EDGE.exec(value);
  if (edge) {
    const where = edge.index === 0 ? 'begins' : 'ends';
    return `${where} with whitespace or an invisible character (${codePoint(edge[0])}), which HTTP parsers may strip`;
  }
  return undefined;
}

/**
 * Throws IdentityRefusedError (its message fit for the user) when a value is not in final form or,
 * in impersonate mode, the username is reserved; drops reserved groups in that mode. In
 * service-account-token mode the apiserver sees the service account, not these names, but they
 * still travel in the ticket and the logs, so their form is checked all the same.
 */
export function validateKubernetesIdentity(
  identity: KubernetesIdentity,
  mode: TunnelMode,
): ValidatedIdentity {
  const impersonate = mode === 'impersonate';
  const userProblem = identityValueProblem(identity.username);
  if (userProblem) {
    throw new IdentityRefusedError(
      `your username ${quoted(identity.username)} ${userProblem}; Switchboard does not pass it to Kubernetes ` +
        '(ask the administrator of your identity provider to fix the claim)',
    );
  }
  if (impersonate && identity.username.startsWith(RESERVED_PREFIX)) {
    throw new IdentityRefusedError(
      `your username ${quoted(identity.username)} is reserved by Kubernetes ("${RESERVED_PREFIX}" prefix); ` +
        'Switchboard does not impersonate it (the relay can add a username prefix to every user)',
    );
  }
  if (identity.groups.length > MAX_IDENTITY_GROUPS) {
    throw new IdentityRefusedError(
      `you are in ${identity.groups.length} groups; Switchboard passes at most ${MAX_IDENTITY_GROUPS} to Kubernetes`,
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify([identity.username, ...identity.groups]));
  if (bytes > MAX_IDENTITY_BYTES) {
    throw new IdentityRefusedError(
      `your username and ${identity.groups.length} groups take ${bytes} bytes; Switchboard passes at most ` +
        `${MAX_IDENTITY_BYTES} to Kubernetes (ask for fewer or shorter group claims)`,
    );
  }
  const groups: string[] = [];
  const droppedGroups: string[] = [];
  for (const group of identity.groups) {
    const problem = identityValueProblem(group);
    if (problem) {
      throw new IdentityRefusedError(
        `your group ${quoted(group)} ${problem}; Switchboard does not pass it to Kubernetes ` +
          '(ask the administrator of your identity provider to fix the claim)',
      );
    }
    (impersonate && group.startsWith(RESERVED_PREFIX) ? droppedGroups : groups).push(group);
  }
  return { username: identity.username, groups, droppedGroups };
}

/** JSON quoting shows invisible characters as escapes; long values are cut. */
function quoted(value: string): string {
  const shown = value.length > 64 ? `${value.slice(0, 64)}…` : value;
  return JSON.stringify(shown).replace(
    /[\u007f-\u009f\u00a0\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/gu,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
