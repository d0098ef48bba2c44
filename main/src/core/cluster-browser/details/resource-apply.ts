/**
 * Applying the YAML the user edited: checked before it is sent (it parses, it is one mapping, it
 * is the object that was opened), then server-side apply as field manager `switchboard`. What the
 * apiserver says back becomes an `ApplyResult` the UI can act on: the conflicting fields and their
 * managers (apply again with force, or reload), a stale resourceVersion (the object changed since
 * it was opened), or an invalid field. A cluster without server-side apply (415) gets a JSON merge
 * patch instead, and the result says so.
 */
import type { ApplyConflict, ApplyResult } from '@switchboard/contract/app';
import { parseDocument, type YAMLError } from 'yaml';
import type { ClusterClient } from '../cluster-client.js';
import type { ResolvedKind } from '../kind-discovery.js';
import { KubeApiError, type KubeStatusCause } from '../kube-api-error.js';
import { type Fields, fields, text } from './kube-fields.js';
import { yamlOf } from './object-yaml.js';
import { pathOf } from './resource-location.js';

export const FIELD_MANAGER = 'switchboard';

export interface OpenedObject {
  location: ResolvedKind;
  name: string;
  namespace: string | undefined;
}

/** The edited YAML as the object to apply, or why it cannot be applied. */
export function parseEdited(
  yamlText: string,
  opened: OpenedObject,
): { object: Fields } | Extract<ApplyResult, { outcome: 'invalid' }> {
  const document = parseDocument(yamlText, { uniqueKeys: true });
  const error: YAMLError | undefined = document.errors[0];
  if (error !== undefined) {
    const line = error.linePos?.[0].line;
    return {
      outcome: 'invalid',
      message: `The YAML does not parse${line === undefined ? '' : ` (line ${line})`}: ${error.message.split('\n', 1)[0]}`,
      ...(line !== undefined && { line }),
    };
  }
  const parsed: unknown = document.toJS({ maxAliasCount: 100 });
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return {
      outcome: 'invalid',
      message: 'The YAML must be one object (a mapping with apiVersion, kind and metadata).',
    };
  }
  const object = parsed as Fields;
  const metadata = fields(object.metadata);
  const { location, name, namespace } = opened;
  const apiVersion = location.group === '' ? location.version : `${location.group}/${location.version}`;
  const mismatch = [
    object.apiVersion !== apiVersion && `apiVersion must stay ${apiVersion}`,
    object.kind !== location.kind && `kind must stay ${location.kind}`,
    metadata.name !== name && `metadata.name must stay ${name}`,
    location.namespaced &&
      metadata.namespace !== undefined &&
      metadata.namespace !== namespace &&
      `metadata.namespace must stay ${namespace}`,
  ].filter((each): each is string => typeof each === 'string');
  if (mismatch.length > 0) {
    return {
      outcome: 'invalid',
      message: `This editor applies changes to the ${location.kind} it opened: ${mismatch.join('; ')}. To create another object, use kubectl apply.`,
    };
  }
  // As kubectl does before an apply: the server owns these, and it refuses managedFields in one.
  delete metadata.managedFields;
  delete object.status;
  return { object: { ...object, metadata } };
}

export async function applyEdited(
  client: ClusterClient,
  opened: OpenedObject,
  yamlText: string,
  force: boolean,
): Promise<ApplyResult> {
  const parsed = parseEdited(yamlText, opened);
  if ('outcome' in parsed) return parsed;
  const path = pathOf(opened.location, opened.name, opened.namespace);
  const query = `fieldManager=${FIELD_MANAGER}&fieldValidation=Strict`;
  try {
    const applied = await client.write<Fields>('PATCH', `${path}?${query}&force=${force}`, {
      contentType: 'application/apply-patch+yaml',
      text: JSON.stringify(parsed.object),
    });
    return { outcome: 'applied', method: 'server-side-apply', yaml: yamlOf(applied) };
  } catch (error) {
    if (!(error instanceof KubeApiError)) throw error;
    if (error.code !== 415) return applyResultOf(error);
  }
  // An apiserver older than server-side apply: a merge patch, whose resourceVersion (when the YAML
  // kept it) is still checked.
  try {
    const patched = await client.write<Fields>('PATCH', `${path}?${query}`, {
      contentType: 'application/merge-patch+json',
      text: JSON.stringify(parsed.object),
    });
    return { outcome: 'applied', method: 'merge-patch', yaml: yamlOf(patched) };
  } catch (error) {
    if (error instanceof KubeApiError) return applyResultOf(error);
    throw error;
  }
}

/** The apiserver's refusal of an apply as the UI acts on it; errors it cannot act on are thrown. */
export function applyResultOf(error: KubeApiError): ApplyResult {
  if (error.code === 409) {
    const conflicts = error.causes.filter((cause) => cause.reason === 'FieldManagerConflict').map(conflictOf);
    if (conflicts.length > 0) return { outcome: 'conflict', conflicts, message: error.message };
    return {
      outcome: 'stale',
      message: `The object changed since you opened it (${error.message}). Reload to edit the current version.`,
    };
  }
  if (error.code === 400 || error.code === 422) {
    const fieldsNamed = error.causes.flatMap((cause) => (cause.field ? [cause.field] : []));
    return {
      outcome: 'invalid',
      message:
        fieldsNamed.length > 0 && !error.message.includes(fieldsNamed[0]!)
          ? `${error.message} (${fieldsNamed.join(', ')})`
          : error.message,
    };
  }
  throw error;
}

/** `conflict with "kubectl" using apps/v1` names the manager (quoted, Go-escaped). */
function conflictOf(cause: KubeStatusCause): ApplyConflict {
  const message = text(cause.message);
  const quoted = /conflict with "((?:[^"\\]|\\.)*)"/.exec(message)?.[1];
  return {
    field: text(cause.field),
    manager: quoted === undefined ? message : quoted.replace(/\\(.)/g, '$1'),
    message,
  };
}
