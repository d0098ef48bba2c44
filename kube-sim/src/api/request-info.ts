/**
 * Turns a URL and method into what the request asks for, following the apiserver's
 * RequestInfoFactory: resource vs non-resource request, group/version, namespace, resource,
 * subresource, name, and the verb that RBAC checks.
 */
import { queryBool } from './query-parameters.js';

export interface RequestInfo {
  resourceRequest: boolean;
  path: string;
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const METHOD_VERBS: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

export function requestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const nonResource: RequestInfo = {
    resourceRequest: false,
    path,
    verb: METHOD_VERBS[method] ?? method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
  };
  const parts = path
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .map(decodeURIComponent);
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return nonResource;
  let rest = parts.slice(1);
  let apiGroup = '';
  if (prefix === 'apis') {
    if (rest.length < 2) return nonResource;
    apiGroup = rest[0]!;
    rest = rest.slice(1);
  } else if (rest.length < 1) {
    return nonResource;
  }
  const apiVersion = rest[0]!;
  rest = rest.slice(1);
  if (rest.length === 0) return { ...nonResource, apiPrefix: prefix, apiGroup, apiVersion };

  const info: RequestInfo = {
    resourceRequest: true,
    path,
    verb: METHOD_VERBS[method] ?? method.toLowerCase(),
    apiPrefix: prefix,
    apiGroup,
    apiVersion,
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
  };

  // "watch" as a path segment is the deprecated watch form; treat it as ?watch=true.
  if (rest[0] === 'watch') {
    info.verb = 'watch';
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces' && rest.length > 1) {
    info.namespace = rest[1]!;
    // /namespaces/<name>[/status|/finalize] is the namespace object itself.
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) rest = rest.slice(2);
  }
  info.resource = rest[0] ?? '';
  info.name = rest[1] ?? '';
  info.subresource = rest[2] ?? '';

  if (info.verb === 'get' || info.verb === 'delete') {
    const isCollection = info.name === '';
    if (info.verb === 'get' && isCollection) {
      info.verb = isWatch(url) ? 'watch' : 'list';
    } else if (info.verb === 'get' && isWatch(url)) {
      info.verb = 'watch';
    } else if (info.verb === 'delete' && isCollection) {
      info.verb = 'deletecollection';
    }
  }
  if (info.verb === 'watch' && !info.name) {
    // fieldSelector=metadata.name=X on a watch narrows it to one object, as the apiserver notes.
    const match = /(?:^|,)metadata\.name=([^,]+)/.exec(url.searchParams.get('fieldSelector') ?? '');
    if (match) info.name = match[1]!;
  }
  return info;
}

function isWatch(url: URL): boolean {
  return queryBool(url.searchParams, 'watch');
}
