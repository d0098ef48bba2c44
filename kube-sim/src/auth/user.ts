/** Who is asking, and what they ask for: the inputs of authentication, impersonation and RBAC. */

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** authorizer.Attributes of the apiserver. */
export interface Attributes {
  user: UserInfo;
  verb: string;
  /** Resource requests. */
  resourceRequest: boolean;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** Non-resource requests: the URL path, e.g. `/healthz`. */
  path: string;
}

export interface Decision {
  allowed: boolean;
  /** Why it was allowed or, when empty for a denial, nothing matched. */
  reason: string;
}

export interface Authorizer {
  authorize(attributes: Attributes): Decision;
}

export const SYSTEM_MASTERS = 'system:masters';
export const SYSTEM_AUTHENTICATED = 'system:authenticated';
export const SYSTEM_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS_USER = 'system:anonymous';
