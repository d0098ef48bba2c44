/**
 * The apiserver's impersonation filter (apiserver/pkg/endpoints/filters/impersonation.go, as in
 * Kubernetes 1.27–1.33): every Impersonate-* header is a separate `impersonate` check against the
 * requester, and only when all pass does the request continue as the impersonated user.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../api/errors.js';
import { goQuote } from '../api/go-format.js';
import { headerText } from './header-text.js';
import {
  forbiddenError,
  serviceAccountGroups,
  serviceAccountUsername,
  splitServiceAccountUsername,
} from './rbac.js';
import {
  ANONYMOUS_USER,
  type Attributes,
  type Authorizer,
  SYSTEM_AUTHENTICATED,
  SYSTEM_UNAUTHENTICATED,
  type UserInfo,
} from './user.js';

const USER_HEADER = 'impersonate-user';
const GROUP_HEADER = 'impersonate-group';
const UID_HEADER = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';
const AUTHENTICATION_GROUP = 'authentication.k8s.io';

/**
 * Impersonation headers that make no sense (groups, uid or extras without a user). The apiserver
 * does not answer these with a Status but with a plain-text 500: write `body(requestURI)` with
 * `Content-Type: text/plain; charset=utf-8` and `X-Content-Type-Options: nosniff`.
 */
export class ImpersonationHeaderError extends ApiError {
  constructor(detail: string) {
    super(500, 'InternalError', detail);
  }

  body(requestURI: string): string {
    return `${`Internal Server Error: ${goQuote(requestURI)}: ${this.message}`
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')}\n`;
  }
}

/** One thing to impersonate: a v1.ObjectReference in the Go filter. */
interface Request {
  kind: 'ServiceAccount' | 'User' | 'Group' | 'UserExtra' | 'UID';
  namespace: string;
  name: string;
  apiVersion: string;
  fieldPath: string;
}

/**
 * The user the request acts as. Returns `requester` when there are no impersonation headers;
 * otherwise checks each one, throws a 403 ApiError on the first denial, removes the headers and
 * returns the impersonated user.
 */
export function impersonate(
  headers: IncomingHttpHeaders,
  requester: UserInfo,
  authorizer: Authorizer,
): UserInfo {
  const requests = impersonationRequests(headers);
  if (requests.length === 0) return requester;

  // Groups given explicitly replace those a service account would have had.
  const groupsSpecified = headerValues(headers, GROUP_HEADER).length > 0;
  let username = '';
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  let uid = '';
  for (const request of requests) {
    const attributes: Attributes = {
      user: requester,
      verb: 'impersonate',
      resourceRequest: true,
      apiGroup: request.apiVersion ? AUTHENTICATION_GROUP : '',
      apiVersion: request.apiVersion ? 'v1' : '',
      resource: '',
      subresource: '',
      namespace: request.namespace,
      name: request.name,
      path: '',
    };
    switch (request.kind) {
      case 'ServiceAccount':
        attributes.resource = 'serviceaccounts';
        username = serviceAccountUsername(request.namespace, request.name);
        if (!groupsSpecified) groups = serviceAccountGroups(request.namespace);
        break;
      case 'User':
        attributes.resource = 'users';
        username = request.name;
        break;
      case 'Group':
        attributes.resource = 'groups';
        groups.push(request.name);
        break;
      case 'UserExtra':
        attributes.resource = 'userextras';
        attributes.subresource = request.fieldPath;
        extra[request.fieldPath] = [...(extra[request.fieldPath] ?? []), request.name];
        break;
      case 'UID':
        attributes.resource = 'uids';
        uid = request.name;
        break;
    }
    const decision = authorizer.authorize(attributes);
    if (!decision.allowed) throw forbiddenError(attributes, decision.reason);
  }

  if (username !== ANONYMOUS_USER) {
    if (!groups.includes(SYSTEM_AUTHENTICATED) && !groups.includes(SYSTEM_UNAUTHENTICATED)) {
      groups.push(SYSTEM_AUTHENTICATED);
    }
  } else if (!groups.includes(SYSTEM_UNAUTHENTICATED)) {
    groups.push(SYSTEM_UNAUTHENTICATED);
  }

  // Later layers must not see that impersonation happened.
  for (const name of Object.keys(headers)) {
    if (
      name === USER_HEADER ||
      name === GROUP_HEADER ||
      name === UID_HEADER ||
      name.startsWith(EXTRA_PREFIX)
    ) {
      delete headers[name];
    }
  }

  const user: UserInfo = { username, groups };
  if (uid) user.uid = uid;
  if (Object.keys(extra).length > 0) user.extra = extra;
  return user;
}

function impersonationRequests(headers: IncomingHttpHeaders): Request[] {
  const requests: Request[] = [];
  const blank = { namespace: '', name: '', apiVersion: '', fieldPath: '' };

  const requestedUser = headerValues(headers, USER_HEADER)[0] ?? '';
  if (requestedUser) {
    const serviceAccount = splitServiceAccountUsername(requestedUser);
    if (serviceAccount) {
      requests.push({
        ...blank,
        kind: 'ServiceAccount',
        namespace: serviceAccount[0],
        name: serviceAccount[1],
      });
    } else {
      requests.push({ ...blank, kind: 'User', name: requestedUser });
    }
  }

  const requestedGroups = headerValues(headers, GROUP_HEADER);
  for (const group of requestedGroups) requests.push({ ...blank, kind: 'Group', name: group });

  let hasExtra = false;
  for (const name of Object.keys(headers)) {
    if (!name.startsWith(EXTRA_PREFIX)) continue;
    hasExtra = true;
    const key = unescapeExtraKey(name.slice(EXTRA_PREFIX.length).toLowerCase());
    for (const value of headerValues(headers, name)) {
      requests.push({
        ...blank,
        kind: 'UserExtra',
        name: value,
        apiVersion: `${AUTHENTICATION_GROUP}/v1`,
        fieldPath: key,
      });
    }
  }

  const requestedUid = headerValues(headers, UID_HEADER)[0] ?? '';
  if (requestedUid) {
    requests.push({ ...blank, kind: 'UID', name: requestedUid, apiVersion: `${AUTHENTICATION_GROUP}/v1` });
  }

  if ((requestedGroups.length > 0 || hasExtra || requestedUid) && !requestedUser) {
    throw new ImpersonationHeaderError(
      `requested [${requests.map(goStruct).join(' ')}] without impersonating a user`,
    );
  }
  return requests;
}

/** A v1.ObjectReference printed with Go's `%v`: every field, in declaration order. */
function goStruct(request: Request): string {
  return `{${[request.kind, request.namespace, request.name, '', request.apiVersion, '', request.fieldPath].join(' ')}}`;
}

/**
 * A header's values, read as UTF-8 like the apiserver does. `req.headersDistinct` keeps repeated
 * headers apart; `req.headers` has joined them with ", ", which is undone here (kubectl sends one
 * Impersonate-Group header per group).
 */
function headerValues(headers: IncomingHttpHeaders, name: string): string[] {
  const value = headers[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : value.split(', ')).map(headerText);
}

/** url.PathUnescape, keeping the key as sent when it is not valid percent-encoding. */
function unescapeExtraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}
