/**
 * The RBAC authorizer of kube-apiserver (plugin/pkg/auth/authorizer/rbac and the rule resolver in
 * pkg/registry/rbac/validation), reading Roles, ClusterRoles and their bindings from the Store, and
 * the 403 texts the apiserver writes when authorization fails.
 */
import { type ApiError, forbidden } from '../api/errors.js';
import { goQuote } from '../api/go-format.js';
import type { KubeObject } from '../api/objects.js';
import { findResource } from '../api/resources.js';
import type { Store } from '../store/store.js';
import { type Attributes, type Authorizer, type Decision, SYSTEM_MASTERS, type UserInfo } from './user.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const ROLES = findResource(RBAC_GROUP, 'v1', 'roles')!;
const ROLE_BINDINGS = findResource(RBAC_GROUP, 'v1', 'rolebindings')!;
const CLUSTER_ROLES = findResource(RBAC_GROUP, 'v1', 'clusterroles')!;
const CLUSTER_ROLE_BINDINGS = findResource(RBAC_GROUP, 'v1', 'clusterrolebindings')!;

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** authorizationv1.ResourceRule, as SelfSubjectRulesReview reports it. */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

/** authorizationv1.NonResourceRule. */
export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

export interface UserRules {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  /** Bindings whose role could not be resolved; the rules listed are still valid. */
  evaluationError?: string;
}

export class RbacAuthorizer implements Authorizer {
  constructor(private readonly store: Store) {}

  authorize(attributes: Attributes): Decision {
    // kube-apiserver puts a privileged-group authorizer in front of every mode, so system:masters
    // is allowed even without the cluster-admin binding, and with an empty reason.
    if (attributes.user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };

    const errors: string[] = [];
    let reason = '';
    visitRulesFor(this.store, attributes.user, attributes.namespace, (source, rule, error) => {
      if (rule && ruleAllows(attributes, rule)) {
        reason = `RBAC: allowed by ${source}`;
        return false;
      }
      if (error) errors.push(error);
      return true;
    });
    if (reason) return { allowed: true, reason };
    return { allowed: false, reason: errors.length > 0 ? `RBAC: ${aggregateErrors(errors)}` : '' };
  }
}

/** The rules RBAC grants `user` in `namespace` (cluster-wide ones included), for SelfSubjectRulesReview. */
export function rulesFor(store: Store, user: UserInfo, namespace: string): UserRules {
  const result: UserRules = { resourceRules: [], nonResourceRules: [] };
  const errors: string[] = [];
  visitRulesFor(store, user, namespace, (_source, rule, error) => {
    if (rule?.resources?.length) {
      const resourceRule: ResourceRule = { verbs: rule.verbs };
      if (rule.apiGroups?.length) resourceRule.apiGroups = rule.apiGroups;
      resourceRule.resources = rule.resources;
      if (rule.resourceNames?.length) resourceRule.resourceNames = rule.resourceNames;
      result.resourceRules.push(resourceRule);
    }
    if (rule?.nonResourceURLs?.length) {
      result.nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
    }
    if (error) errors.push(error);
    return true;
  });
  if (errors.length > 0) result.evaluationError = aggregateErrors(errors);
  return result;
}

type RuleVisitor = (source: string, rule: PolicyRule | undefined, error: string | undefined) => boolean;

/** DefaultRuleResolver.VisitRulesFor: ClusterRoleBindings first, then RoleBindings of `namespace`. */
function visitRulesFor(store: Store, user: UserInfo, namespace: string, visit: RuleVisitor): void {
  for (const binding of store.list(CLUSTER_ROLE_BINDINGS)) {
    const subject = appliesTo(user, subjectsOf(binding), '');
    if (!subject) continue;
    const roleRef = binding.roleRef as RoleRef;
    const resolved = roleRefRules(store, roleRef, '');
    if ('error' in resolved) {
      if (!visit('', undefined, resolved.error)) return;
      continue;
    }
    const source = `ClusterRoleBinding ${goQuote(binding.metadata.name ?? '')} of ${roleRef.kind} ${goQuote(roleRef.name)} to ${describeSubject(subject, '')}`;
    for (const rule of resolved.rules) if (!visit(source, rule, undefined)) return;
  }
  if (!namespace) return;
  for (const binding of store.list(ROLE_BINDINGS, namespace)) {
    const subject = appliesTo(user, subjectsOf(binding), namespace);
    if (!subject) continue;
    const roleRef = binding.roleRef as RoleRef;
    const resolved = roleRefRules(store, roleRef, namespace);
    if ('error' in resolved) {
      if (!visit('', undefined, resolved.error)) return;
      continue;
    }
    const source = `RoleBinding ${goQuote(`${binding.metadata.name}/${namespace}`)} of ${roleRef.kind} ${goQuote(roleRef.name)} to ${describeSubject(subject, namespace)}`;
    for (const rule of resolved.rules) if (!visit(source, rule, undefined)) return;
  }
}

function subjectsOf(binding: KubeObject): Subject[] {
  return (binding.subjects as Subject[] | null | undefined) ?? [];
}

function roleRefRules(
  store: Store,
  roleRef: RoleRef,
  namespace: string,
): { rules: PolicyRule[] } | { error: string } {
  switch (roleRef.kind) {
    case 'Role': {
      const role = store.get(ROLES, namespace, roleRef.name);
      if (!role) return { error: `role.${RBAC_GROUP} ${goQuote(roleRef.name)} not found` };
      return { rules: rulesOf(role) };
    }
    case 'ClusterRole': {
      const clusterRole = store.get(CLUSTER_ROLES, undefined, roleRef.name);
      if (!clusterRole) return { error: `clusterrole.${RBAC_GROUP} ${goQuote(roleRef.name)} not found` };
      return { rules: clusterRoleRules(clusterRole, store.list(CLUSTER_ROLES)) };
    }
    default:
      return { error: `unsupported role reference kind: ${goQuote(roleRef.kind)}` };
  }
}

function rulesOf(role: KubeObject): PolicyRule[] {
  return (role.rules as PolicyRule[] | null | undefined) ?? [];
}

/**
 * The rules a ClusterRole grants. An aggregated one grants what the clusterrole-aggregation
 * controller would have written into it, computed here so a change to a selected role applies at
 * once instead of after the controller catches up.
 */
function clusterRoleRules(
  clusterRole: KubeObject,
  all: KubeObject[],
  seen = new Set<string>(),
): PolicyRule[] {
  const name = clusterRole.metadata.name ?? '';
  // A role met again on the path aggregates itself; stop there with what is stored.
  if (!clusterRole.aggregationRule || seen.has(name)) return rulesOf(clusterRole);
  return aggregateRules(clusterRole, all, seen);
}

/**
 * What the clusterrole-aggregation controller writes into an aggregated ClusterRole's `rules`: the
 * distinct rules of every other ClusterRole its selectors match, selector by selector, each
 * selector's roles in name order.
 */
export function aggregateRules(
  clusterRole: KubeObject,
  allClusterRoles: KubeObject[],
  seen = new Set<string>(),
): PolicyRule[] {
  const aggregation = clusterRole.aggregationRule as
    | { clusterRoleSelectors?: LabelSelector[] | null }
    | undefined;
  const byName = [...allClusterRoles].sort((a, b) => compare(a.metadata.name ?? '', b.metadata.name ?? ''));
  const path = new Set(seen).add(clusterRole.metadata.name ?? '');
  const out: PolicyRule[] = [];
  for (const selector of aggregation?.clusterRoleSelectors ?? []) {
    for (const candidate of byName) {
      if (candidate.metadata.name === clusterRole.metadata.name) continue;
      if (!selectorMatches(selector, candidate.metadata.labels ?? {})) continue;
      for (const rule of clusterRoleRules(candidate, allClusterRoles, path)) {
        if (!out.some((existing) => rulesEqual(existing, rule))) out.push(rule);
      }
    }
  }
  return out;
}

export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    const value = Object.hasOwn(labels, requirement.key) ? labels[requirement.key] : undefined;
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        if (value === undefined || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && values.includes(value)) return false;
        break;
      case 'Exists':
        if (value === undefined) return false;
        break;
      case 'DoesNotExist':
        if (value !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** equality.Semantic.DeepEqual on PolicyRules: absent and empty lists are equal. */
function rulesEqual(a: PolicyRule, b: PolicyRule): boolean {
  const same = (x: string[] | undefined, y: string[] | undefined) =>
    (x?.length ?? 0) === (y?.length ?? 0) && (x ?? []).every((v, i) => v === y?.[i]);
  return (
    same(a.verbs, b.verbs) &&
    same(a.apiGroups, b.apiGroups) &&
    same(a.resources, b.resources) &&
    same(a.resourceNames, b.resourceNames) &&
    same(a.nonResourceURLs, b.nonResourceURLs)
  );
}

function appliesTo(user: UserInfo, subjects: Subject[], namespace: string): Subject | undefined {
  return subjects.find((subject) => appliesToUser(user, subject, namespace));
}

function appliesToUser(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      // A RoleBinding may name a ServiceAccount of its own namespace without saying so.
      const saNamespace = subject.namespace || namespace;
      if (!saNamespace) return false;
      return user.username === serviceAccountUsername(saNamespace, subject.name);
    }
    default:
      return false;
  }
}

function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') {
    return `${subject.kind} ${goQuote(`${subject.name}/${subject.namespace || bindingNamespace}`)}`;
  }
  return `${subject.kind} ${goQuote(subject.name)}`;
}

export function ruleAllows(attributes: Attributes, rule: PolicyRule): boolean {
  if (attributes.resourceRequest) {
    const combined = attributes.subresource
      ? `${attributes.resource}/${attributes.subresource}`
      : attributes.resource;
    return (
      verbMatches(rule, attributes.verb) &&
      apiGroupMatches(rule, attributes.apiGroup) &&
      resourceMatches(rule, combined, attributes.subresource) &&
      resourceNameMatches(rule, attributes.name)
    );
  }
  return verbMatches(rule, attributes.verb) && nonResourceURLMatches(rule, attributes.path);
}

function verbMatches(rule: PolicyRule, verb: string): boolean {
  return (rule.verbs ?? []).some((v) => v === '*' || v === verb);
}

function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === '*' || g === group);
}

function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return (rule.resources ?? []).some(
    (r) => r === '*' || r === combined || (subresource !== '' && r === `*/${subresource}`),
  );
}

/** Names never match a request without one (list, watch, create), unless the rule lists no names. */
function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (url) => url === '*' || url === path || (url.endsWith('*') && path.startsWith(url.replace(/\*+$/, ''))),
  );
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The groups a service account's credentials carry (serviceaccount.MakeGroupNames). */
export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];
}

/** serviceaccount.SplitUsername: `[namespace, name]` of a service account username. */
export function splitServiceAccountUsername(username: string): [string, string] | undefined {
  const prefix = 'system:serviceaccount:';
  if (!username.startsWith(prefix)) return undefined;
  const parts = username.slice(prefix.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace = '', name = ''] = parts;
  if (!isDNS1123Label(namespace) || !isDNS1123Subdomain(name)) return undefined;
  return [namespace, name];
}

function isDNS1123Label(value: string): boolean {
  return value.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value);
}

function isDNS1123Subdomain(value: string): boolean {
  return (
    value.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value)
  );
}

/**
 * The message of the apiserver's 403 (responsewriters.Forbidden wrapped by apierrors.NewForbidden),
 * e.g. `pods "web" is forbidden: User "alice" cannot get resource "pods" in API group "" in the
 * namespace "default"`, with `: <reason>` appended when the authorizer gave one.
 */
export function forbiddenMessage(attributes: Attributes, reason: string): string {
  const detail = sanitize(deniedAction(attributes)) + (reason ? `: ${reason}` : '');
  if (!attributes.resourceRequest || (!attributes.apiGroup && !attributes.resource))
    return `forbidden: ${detail}`;
  const qualified = attributes.apiGroup
    ? `${attributes.resource}.${attributes.apiGroup}`
    : attributes.resource;
  if (!attributes.name) return `${qualified} is forbidden: ${detail}`;
  return `${qualified} ${goQuote(attributes.name)} is forbidden: ${detail}`;
}

/** The whole 403 Status, details included, as the apiserver sends it. */
export function forbiddenError(attributes: Attributes, reason: string): ApiError {
  const message = forbiddenMessage(attributes, reason);
  if (!attributes.resourceRequest) return forbidden(message, {});
  return forbidden(message, {
    name: attributes.name || undefined,
    group: attributes.apiGroup || undefined,
    kind: attributes.resource || undefined,
  });
}

function deniedAction(attributes: Attributes): string {
  const user = goQuote(attributes.user.username);
  if (!attributes.resourceRequest) {
    return `User ${user} cannot ${attributes.verb} path ${goQuote(attributes.path)}`;
  }
  const resource = attributes.subresource
    ? `${attributes.resource}/${attributes.subresource}`
    : attributes.resource;
  const scope = attributes.namespace
    ? `in the namespace ${goQuote(attributes.namespace)}`
    : 'at the cluster scope';
  return `User ${user} cannot ${attributes.verb} resource ${goQuote(resource)} in API group ${goQuote(attributes.apiGroup)} ${scope}`;
}

/** The apiserver keeps error texts from looking like HTML; quotes stay. */
function sanitize(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several deduplicated in brackets. */
function aggregateErrors(errors: string[]): string {
  const distinct = [...new Set(errors)];
  return distinct.length === 1 ? distinct.join('') : `[${distinct.join(', ')}]`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
