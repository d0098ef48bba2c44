import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/errors.js';
import type { KubeObject } from '../src/api/objects.js';
import { findResource } from '../src/api/resources.js';
import { Authenticator } from '../src/auth/authn.js';
import { bootstrapPolicy } from '../src/auth/bootstrap-policy.js';
import { ImpersonationHeaderError, impersonate } from '../src/auth/impersonation.js';
import { forbiddenError, forbiddenMessage, RbacAuthorizer, rulesFor } from '../src/auth/rbac.js';
import { review } from '../src/auth/reviews.js';
import type { Attributes, UserInfo } from '../src/auth/user.js';
import { Store } from '../src/store/store.js';

const RBAC = 'rbac.authorization.k8s.io';
const ROLES = findResource(RBAC, 'v1', 'roles')!;
const ROLE_BINDINGS = findResource(RBAC, 'v1', 'rolebindings')!;
const CLUSTER_ROLES = findResource(RBAC, 'v1', 'clusterroles')!;
const CLUSTER_ROLE_BINDINGS = findResource(RBAC, 'v1', 'clusterrolebindings')!;

const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] };
const bob: UserInfo = { username: 'bob', groups: ['devs', 'system:authenticated'] };
const admin: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

function cluster(): Store {
  const store = new Store();
  for (const object of bootstrapPolicy()) {
    store.create(object.kind === 'ClusterRole' ? CLUSTER_ROLES : CLUSTER_ROLE_BINDINGS, object);
  }
  store.create(ROLES, {
    apiVersion: `${RBAC}/v1`,
    kind: 'Role',
    metadata: { name: 'pod-reader', namespace: 'default' },
    rules: [
      { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'pods/log'] },
      { verbs: ['get', 'update'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] },
      { verbs: ['create'], apiGroups: ['*'], resources: ['*/scale'] },
    ],
  });
  store.create(
    ROLE_BINDINGS,
    binding('RoleBinding', 'alice-reads', 'Role', 'pod-reader', [{ kind: 'User', name: 'alice' }], 'default'),
  );
  store.create(
    ROLE_BINDINGS,
    binding('RoleBinding', 'devs-edit', 'ClusterRole', 'edit', [{ kind: 'Group', name: 'devs' }], 'team'),
  );
  store.create(
    ROLE_BINDINGS,
    binding(
      'RoleBinding',
      'robot',
      'ClusterRole',
      'view',
      [{ kind: 'ServiceAccount', name: 'robot' }],
      'team',
    ),
  );
  return store;
}

function binding(
  kind: string,
  name: string,
  roleKind: string,
  roleName: string,
  subjects: { kind: string; name: string; namespace?: string }[],
  namespace?: string,
): KubeObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind,
    metadata: namespace ? { name, namespace } : { name },
    roleRef: { apiGroup: RBAC, kind: roleKind, name: roleName },
    subjects: subjects.map((s) => (s.kind === 'ServiceAccount' ? s : { apiGroup: RBAC, ...s })),
  };
}

function resource(
  user: UserInfo,
  verb: string,
  resource: string,
  namespace = '',
  name = '',
  apiGroup = '',
  subresource = '',
): Attributes {
  return {
    user,
    verb,
    resourceRequest: true,
    apiGroup,
    apiVersion: 'v1',
    resource,
    subresource,
    namespace,
    name,
    path: '',
  };
}

function path(user: UserInfo, verb: string, url: string): Attributes {
  return {
    user,
    verb,
    resourceRequest: false,
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
    path: url,
  };
}

function thrown(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('RbacAuthorizer', () => {
  const store = cluster();
  const rbac = new RbacAuthorizer(store);
  const allowed = (a: Attributes) => rbac.authorize(a).allowed;

  it('grants what a RoleBinding binds, in its namespace only', () => {
    expect(rbac.authorize(resource(alice, 'list', 'pods', 'default'))).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "alice-reads/default" of Role "pod-reader" to User "alice"',
    });
    expect(allowed(resource(alice, 'list', 'pods', 'other'))).toBe(false);
    expect(allowed(resource(alice, 'delete', 'pods', 'default', 'web'))).toBe(false);
    expect(allowed(resource(alice, 'list', 'pods', ''))).toBe(false);
  });

  it('matches subresources exactly or through */subresource', () => {
    expect(allowed(resource(alice, 'get', 'pods', 'default', 'web', '', 'log'))).toBe(true);
    expect(allowed(resource(alice, 'create', 'pods', 'default', 'web', '', 'exec'))).toBe(false);
    expect(allowed(resource(alice, 'create', 'deployments', 'default', 'web', 'apps', 'scale'))).toBe(true);
    expect(allowed(resource(alice, 'create', 'deployments', 'default', 'web', 'apps'))).toBe(false);
  });

  it('limits resourceNames rules to requests naming one of them', () => {
    expect(allowed(resource(alice, 'get', 'configmaps', 'default', 'settings'))).toBe(true);
    expect(allowed(resource(alice, 'get', 'configmaps', 'default', 'other'))).toBe(false);
    expect(allowed(resource(alice, 'list', 'configmaps', 'default'))).toBe(false);
  });

  it('binds groups and service accounts', () => {
    expect(allowed(resource(bob, 'create', 'pods', 'team', '', '', 'exec'))).toBe(true);
    expect(allowed(resource(bob, 'create', 'pods', 'default', '', '', 'exec'))).toBe(false);
    const robot: UserInfo = {
      username: 'system:serviceaccount:team:robot',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'],
    };
    expect(rbac.authorize(resource(robot, 'list', 'deployments', 'team', '', 'apps'))).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by RoleBinding "robot/team" of ClusterRole "view" to ServiceAccount "robot/team"',
    });
    expect(allowed(resource(robot, 'get', 'secrets', 'team', 'token'))).toBe(false);
    expect(
      allowed(resource({ ...robot, username: 'system:serviceaccount:other:robot' }, 'list', 'pods', 'team')),
    ).toBe(false);
  });

  it('gives every authenticated user discovery and self reviews, and anonymous users public info', () => {
    expect(rbac.authorize(path(alice, 'get', '/apis/apps/v1'))).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"',
    });
    expect(allowed(path(alice, 'get', '/version'))).toBe(true);
    expect(allowed(path(alice, 'get', '/metrics'))).toBe(false);
    expect(allowed(path(alice, 'post', '/api'))).toBe(false);
    expect(
      allowed(resource(alice, 'create', 'selfsubjectaccessreviews', '', '', 'authorization.k8s.io')),
    ).toBe(true);
    const anonymous: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
    expect(allowed(path(anonymous, 'get', '/healthz'))).toBe(true);
    expect(allowed(path(anonymous, 'get', '/api'))).toBe(false);
  });

  it('lets system:masters do anything, with no reason, like the apiserver', () => {
    expect(rbac.authorize(resource(admin, 'delete', 'nodes', '', 'n1'))).toEqual({
      allowed: true,
      reason: '',
    });
    expect(rbac.authorize(path(admin, 'get', '/metrics'))).toEqual({ allowed: true, reason: '' });
  });

  it('aggregates ClusterRoles selected by label, transitively', () => {
    const local = cluster();
    const authorizer = new RbacAuthorizer(local);
    const widgets = resource(bob, 'list', 'widgets', 'team', '', 'example.com');
    expect(authorizer.authorize(widgets).allowed).toBe(false);
    local.create(CLUSTER_ROLES, {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRole',
      metadata: { name: 'widget-viewer', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ verbs: ['list'], apiGroups: ['example.com'], resources: ['widgets'] }],
    });
    // bob has edit in team, and edit aggregates view.
    expect(authorizer.authorize(widgets)).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "devs-edit/team" of ClusterRole "edit" to Group "devs"',
    });
  });

  it('fills the aggregated bootstrap roles as the aggregation controller would', () => {
    const view = bootstrapPolicy().find((o) => o.metadata.name === 'view')!;
    const admin = bootstrapPolicy().find((o) => o.metadata.name === 'admin')!;
    expect(view.metadata.labels).toEqual({
      'kubernetes.io/bootstrapping': 'rbac-defaults',
      'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
    });
    expect(view.metadata.annotations).toEqual({ 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
    const viewRules = view.rules as { resources?: string[] }[];
    expect(viewRules.some((r) => r.resources?.includes('pods/log'))).toBe(true);
    expect(viewRules.some((r) => r.resources?.includes('secrets'))).toBe(false);
    const adminRules = admin.rules as { resources?: string[] }[];
    expect(adminRules.some((r) => r.resources?.includes('rolebindings'))).toBe(true);
    expect(adminRules.some((r) => r.resources?.includes('pods/exec'))).toBe(true);
  });

  it('reports bindings to missing roles as the denial reason', () => {
    const local = cluster();
    local.create(
      ROLE_BINDINGS,
      binding('RoleBinding', 'dangling', 'Role', 'gone', [{ kind: 'User', name: 'carol' }], 'default'),
    );
    const carol: UserInfo = { username: 'carol', groups: ['system:authenticated'] };
    expect(new RbacAuthorizer(local).authorize(resource(carol, 'list', 'pods', 'default'))).toEqual({
      allowed: false,
      reason: 'RBAC: role.rbac.authorization.k8s.io "gone" not found',
    });
  });

  it('lists the rules a user has in a namespace', () => {
    const rules = rulesFor(store, alice, 'default');
    expect(rules.resourceRules).toContainEqual({
      verbs: ['get', 'update'],
      apiGroups: [''],
      resources: ['configmaps'],
      resourceNames: ['settings'],
    });
    expect(rules.resourceRules).toContainEqual({
      verbs: ['create'],
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    });
    expect(rules.nonResourceRules).toContainEqual({
      verbs: ['get'],
      nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'],
    });
    expect(rules.evaluationError).toBeUndefined();
    expect(rulesFor(store, alice, 'other').resourceRules.some((r) => r.resources?.includes('pods'))).toBe(
      false,
    );
  });
});

describe('forbiddenMessage', () => {
  it('writes the apiserver texts', () => {
    expect(forbiddenMessage(resource(alice, 'list', 'pods', 'default'), '')).toBe(
      'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    expect(forbiddenMessage(resource(alice, 'get', 'pods', 'default', 'web'), '')).toBe(
      'pods "web" is forbidden: User "alice" cannot get resource "pods" in API group "" in the namespace "default"',
    );
    expect(forbiddenMessage(resource(alice, 'list', 'nodes'), '')).toBe(
      'nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    expect(forbiddenMessage(resource(alice, 'create', 'pods', 'default', 'web', '', 'exec'), '')).toBe(
      'pods "web" is forbidden: User "alice" cannot create resource "pods/exec" in API group "" in the namespace "default"',
    );
    expect(forbiddenMessage(resource(alice, 'list', 'deployments', 'default', '', 'apps'), '')).toBe(
      'deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" in the namespace "default"',
    );
    expect(forbiddenMessage(path(alice, 'get', '/metrics'), '')).toBe(
      'forbidden: User "alice" cannot get path "/metrics"',
    );
    expect(
      forbiddenMessage(
        resource(alice, 'list', 'pods', 'default'),
        'RBAC: role.rbac.authorization.k8s.io "x" not found',
      ),
    ).toBe(
      'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default": RBAC: role.rbac.authorization.k8s.io "x" not found',
    );
    expect(forbiddenMessage(path({ username: '<b>', groups: [] }, 'get', '/'), '')).toBe(
      'forbidden: User "&lt;b&gt;" cannot get path "/"',
    );
  });

  it('builds the Status details from group, resource and name', () => {
    const status = forbiddenError(
      resource(alice, 'get', 'deployments', 'default', 'web', 'apps', 'scale'),
      '',
    ).toStatus();
    expect(status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
    });
    expect(forbiddenError(path(alice, 'get', '/metrics'), '').toStatus().details).toEqual({});
  });
});

describe('impersonate', () => {
  const store = cluster();
  const rbac = new RbacAuthorizer(store);
  store.create(CLUSTER_ROLES, {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: { name: 'impersonator' },
    rules: [
      { verbs: ['impersonate'], apiGroups: [''], resources: ['users', 'groups'] },
      {
        verbs: ['impersonate'],
        apiGroups: ['authentication.k8s.io'],
        resources: ['uids', 'userextras/scopes'],
      },
    ],
  });
  store.create(
    CLUSTER_ROLE_BINDINGS,
    binding('ClusterRoleBinding', 'bob-impersonates', 'ClusterRole', 'impersonator', [
      { kind: 'User', name: 'bob' },
    ]),
  );

  it('returns the requester when nothing is impersonated', () => {
    expect(impersonate({ accept: 'application/json' }, alice, rbac)).toBe(alice);
  });

  it('acts as the user, groups, uid and extras asked for, then drops the headers', () => {
    const headers = {
      'impersonate-user': 'jane',
      'impersonate-group': ['qa', 'ops'],
      'impersonate-uid': '1234',
      'impersonate-extra-scopes': ['read', 'write'],
      accept: 'application/json',
    };
    expect(impersonate(headers, bob, rbac)).toEqual({
      username: 'jane',
      uid: '1234',
      groups: ['qa', 'ops', 'system:authenticated'],
      extra: { scopes: ['read', 'write'] },
    });
    expect(headers).toEqual({ accept: 'application/json' });
  });

  it('splits repeated headers that Node joined', () => {
    expect(
      impersonate({ 'impersonate-user': 'jane', 'impersonate-group': 'qa, ops' }, bob, rbac).groups,
    ).toEqual(['qa', 'ops', 'system:authenticated']);
  });

  it('refuses with the apiserver 403 texts', () => {
    const denied = thrown(() => impersonate({ 'impersonate-user': 'admin' }, alice, rbac));
    expect(denied.toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'users "admin" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope',
      reason: 'Forbidden',
      details: { name: 'admin', kind: 'users' },
      code: 403,
    });
    expect(
      thrown(() => impersonate({ 'impersonate-user': 'system:serviceaccount:team:robot' }, alice, rbac))
        .message,
    ).toBe(
      'serviceaccounts "robot" is forbidden: User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "team"',
    );
    expect(
      thrown(() => impersonate({ 'impersonate-user': 'jane', 'impersonate-extra-other': 'x' }, bob, rbac))
        .message,
    ).toBe(
      'userextras.authentication.k8s.io "x" is forbidden: User "bob" cannot impersonate resource "userextras/other" in API group "authentication.k8s.io" at the cluster scope',
    );
  });

  it('gives impersonated service accounts their groups', () => {
    // edit, which bob has in team, grants impersonating that namespace's service accounts.
    expect(impersonate({ 'impersonate-user': 'system:serviceaccount:team:robot' }, bob, rbac)).toEqual({
      username: 'system:serviceaccount:team:robot',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'],
    });
  });

  it('treats anonymous as unauthenticated and rejects groups without a user', () => {
    expect(impersonate({ 'impersonate-user': 'system:anonymous' }, admin, rbac).groups).toEqual([
      'system:unauthenticated',
    ]);
    const error = thrown(() => impersonate({ 'impersonate-group': 'system:masters' }, admin, rbac));
    expect(error).toBeInstanceOf(ImpersonationHeaderError);
    expect((error as ImpersonationHeaderError).body('/api/v1/pods')).toBe(
      'Internal Server Error: "/api/v1/pods": requested [{Group  system:masters    }] without impersonating a user\n',
    );
  });
});

describe('review', () => {
  const store = cluster();
  const rbac = new RbacAuthorizer(store);

  it('answers SelfSubjectAccessReview as kubectl auth can-i expects', () => {
    const body = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: { creationTimestamp: null } as unknown as KubeObject['metadata'],
      spec: { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods', group: '' } },
    };
    expect(review('SelfSubjectAccessReview', body, alice, rbac, store)).toEqual({
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } },
      status: {
        allowed: true,
        reason: 'RBAC: allowed by RoleBinding "alice-reads/default" of Role "pod-reader" to User "alice"',
      },
    });
    const denied = review(
      'SelfSubjectAccessReview',
      { ...body, spec: { resourceAttributes: { namespace: 'default', verb: 'delete', resource: 'pods' } } },
      alice,
      rbac,
      store,
    );
    expect(denied.status).toEqual({ allowed: false });
    const nonResource = review(
      'SelfSubjectAccessReview',
      { ...body, spec: { nonResourceAttributes: { path: '/metrics', verb: 'get' } } },
      alice,
      rbac,
      store,
    );
    expect(nonResource.spec).toEqual({ nonResourceAttributes: { path: '/metrics', verb: 'get' } });
    expect(nonResource.status).toEqual({ allowed: false });
  });

  it('rejects SelfSubjectAccessReviews that ask nothing or too much', () => {
    const empty = thrown(() =>
      review(
        'SelfSubjectAccessReview',
        { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec: {} },
        alice,
        rbac,
        store,
      ),
    );
    expect(empty.toStatus()).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message:
        '.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
      details: { group: 'authorization.k8s.io' },
    });
    const both = thrown(() =>
      review(
        'SelfSubjectAccessReview',
        {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          metadata: {},
          spec: { resourceAttributes: { verb: 'get' }, nonResourceAttributes: { path: '/x', verb: 'get' } },
        },
        alice,
        rbac,
        store,
      ),
    );
    expect(both.message).toBe(
      '.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/x", Verb:"get"}: cannot be specified in combination with resourceAttributes',
    );
    const mistyped = thrown(() =>
      review(
        'SelfSubjectAccessReview',
        {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          metadata: {},
          spec: { resourceAttributes: { verb: 7 } },
        },
        alice,
        rbac,
        store,
      ),
    );
    expect(mistyped.toStatus()).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message:
        'SelfSubjectAccessReview in version "v1" cannot be handled as a SelfSubjectAccessReview: json: cannot unmarshal number into Go struct field ResourceAttributes.spec.resourceAttributes.verb of type string',
    });
  });

  it('answers SubjectAccessReview for the subject named, without adding groups', () => {
    const result = review(
      'SubjectAccessReview',
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        metadata: {},
        spec: {
          user: 'nobody',
          groups: ['devs'],
          resourceAttributes: { namespace: 'team', verb: 'delete', resource: 'pods' },
        },
      },
      admin,
      rbac,
      store,
    );
    expect(result.spec).toEqual({
      resourceAttributes: { namespace: 'team', verb: 'delete', resource: 'pods' },
      user: 'nobody',
      groups: ['devs'],
    });
    expect(result.status).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "devs-edit/team" of ClusterRole "edit" to Group "devs"',
    });
    const anyone = thrown(() =>
      review(
        'SubjectAccessReview',
        {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          metadata: {},
          spec: { nonResourceAttributes: { path: '/', verb: 'get' } },
        },
        admin,
        rbac,
        store,
      ),
    );
    expect(anyone.message).toBe(
      '.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified',
    );
  });

  it('lists rules for SelfSubjectRulesReview', () => {
    const body = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      metadata: {},
      spec: { namespace: 'default' },
    };
    const result = review('SelfSubjectRulesReview', body, alice, rbac, store);
    expect(result.spec).toEqual({});
    expect(result.status).toMatchObject({ incomplete: false });
    expect((result.status as { resourceRules: unknown[] }).resourceRules).toContainEqual({
      verbs: ['get', 'list', 'watch'],
      apiGroups: [''],
      resources: ['pods', 'pods/log'],
    });
    expect(
      thrown(() => review('SelfSubjectRulesReview', { ...body, spec: {} }, alice, rbac, store)).toStatus(),
    ).toMatchObject({
      code: 400,
      message: 'no namespace on request',
    });
  });

  it('tells kubectl auth whoami who it is, in the version it asked in', () => {
    const now = new Date('2024-05-01T10:00:00.123Z');
    const local = new Store({ now: () => now });
    const user: UserInfo = {
      username: 'jane',
      uid: '42',
      groups: ['qa', 'system:authenticated'],
      extra: { scopes: ['read'] },
    };
    expect(
      review(
        'SelfSubjectReview',
        { apiVersion: 'authentication.k8s.io/v1beta1', kind: 'SelfSubjectReview', metadata: {} },
        user,
        rbac,
        local,
      ),
    ).toEqual({
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1beta1',
      metadata: { creationTimestamp: '2024-05-01T10:00:00Z' },
      status: {
        userInfo: {
          username: 'jane',
          uid: '42',
          groups: ['qa', 'system:authenticated'],
          extra: { scopes: ['read'] },
        },
      },
    });
    const anonymous = review(
      'SelfSubjectReview',
      { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} },
      { username: 'system:anonymous', groups: ['system:unauthenticated'] },
      rbac,
      local,
    );
    expect(anonymous.status).toEqual({
      userInfo: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
    });
  });
});

describe('Authenticator', () => {
  const request = (headers: Record<string, string>, socket: object = {}) =>
    ({ headers, socket }) as unknown as IncomingMessage;
  const certSocket = (authorized: boolean, subject: Record<string, string | string[]>) => ({
    authorized,
    getPeerCertificate: () => ({ subject }),
  });
  const authn = new Authenticator({
    tokens: [
      { token: 'alice-token', username: 'alice', uid: 'u-1', groups: ['devs'] },
      { token: 'robot-token', username: 'system:serviceaccount:team:robot' },
    ],
    anonymous: true,
  });

  it('authenticates bearer tokens and adds system:authenticated', () => {
    expect(authn.authenticate(request({ authorization: 'Bearer alice-token' }))).toEqual({
      username: 'alice',
      uid: 'u-1',
      groups: ['devs', 'system:authenticated'],
    });
    expect(authn.authenticate(request({ authorization: 'bearer robot-token' }))?.groups).toEqual([
      'system:serviceaccounts',
      'system:serviceaccounts:team',
      'system:authenticated',
    ]);
  });

  it('refuses bad tokens and bad certificates even when anonymous access is on', () => {
    expect(authn.authenticate(request({ authorization: 'Bearer nope' }))).toBeUndefined();
    expect(authn.authenticate(request({}, certSocket(false, { CN: 'mallory' })))).toBeUndefined();
  });

  it('treats requests without credentials as anonymous only when enabled', () => {
    expect(authn.authenticate(request({ authorization: 'Basic Zm9vOmJhcg==' }))).toEqual({
      username: 'system:anonymous',
      groups: ['system:unauthenticated'],
    });
    expect(new Authenticator({ tokens: [] }).authenticate(request({}))).toBeUndefined();
  });

  it('takes the user from a verified client certificate: CN and every O', () => {
    expect(
      authn.authenticate(
        request({}, certSocket(true, { CN: 'kubernetes-admin', O: ['system:masters', 'ops'] })),
      ),
    ).toEqual({
      username: 'kubernetes-admin',
      groups: ['system:masters', 'ops', 'system:authenticated'],
    });
    expect(
      authn.authenticate(
        request({ authorization: 'Bearer alice-token' }, certSocket(false, { CN: 'mallory' })),
      )?.username,
    ).toBe('alice');
    const noCerts = new Authenticator({ tokens: [], clientCA: false, anonymous: true });
    expect(noCerts.authenticate(request({}, certSocket(true, { CN: 'kubernetes-admin' })))?.username).toBe(
      'system:anonymous',
    );
  });

  it('accepts tokens added later', () => {
    const local = new Authenticator({ tokens: [] });
    local.addToken({ token: 't', username: 'late' });
    expect(local.authenticate(request({ authorization: 'Bearer t' }))?.username).toBe('late');
  });
});
