/**
 * The write options that name a field manager, as the apiserver's handlers read them: the
 * `fieldManager` query parameter (validated like ValidateFieldManager), the user agent's product
 * name when it is absent (managerOrUserAgent), and PatchOptions' `force`, which only apply takes
 * and which apply needs a fieldManager beside.
 */
import { type ApiError, type FieldError, invalid } from '../errors.js';
import { queryOptionalBool } from '../query-parameters.js';

const FIELD_MANAGER_MAX_LENGTH = 128;

/** prefixFromUserAgent: `kubectl/v1.33.0 (linux/amd64) …` records as `kubectl`. */
function userAgentPrefix(userAgent: string): string {
  let prefix = '';
  for (const char of userAgent.split('/')[0] ?? '') {
    if (!isPrintable(char)) continue;
    if (Buffer.byteLength(prefix + char) > FIELD_MANAGER_MAX_LENGTH) break;
    prefix += char;
  }
  return prefix;
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isPrintable(char: string): boolean {
  return char === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(char);
}

function fieldManagerErrors(fieldManager: string): FieldError[] {
  const errors: FieldError[] = [];
  if (Buffer.byteLength(fieldManager) > FIELD_MANAGER_MAX_LENGTH) {
    errors.push({
      type: 'FieldValueTooLong',
      field: 'fieldManager',
      detail: `Too long: may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes`,
    });
  }
  let position = 0;
  for (const char of fieldManager) {
    if (!isPrintable(char)) {
      const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errors.push({
        type: 'FieldValueInvalid',
        field: 'fieldManager',
        detail: `Invalid value: ${JSON.stringify(fieldManager)}: invalid character U+${code} (at position ${position})`,
      });
    }
    position += Buffer.byteLength(char);
  }
  return errors;
}

function invalidOptions(kind: string, errors: FieldError[]): ApiError {
  return invalid('meta.k8s.io', kind, '', errors);
}

/** The manager a create or update is recorded under. */
export function writeManager(
  query: URLSearchParams,
  userAgent: string | undefined,
  optionsKind: 'CreateOptions' | 'UpdateOptions',
): string {
  const requested = query.get('fieldManager') ?? '';
  const errors = fieldManagerErrors(requested);
  if (errors.length) throw invalidOptions(optionsKind, errors);
  return requested || userAgentPrefix(userAgent ?? '');
}

export interface PatchManager {
  manager: string;
  force: boolean;
}

/** ValidatePatchOptions, then the manager and force of a patch; `apply` says whether it is one. */
export function patchManager(
  query: URLSearchParams,
  userAgent: string | undefined,
  apply: boolean,
): PatchManager {
  const forceText = query.get('force');
  const force = queryOptionalBool(query, 'force') ?? false;
  const requested = query.get('fieldManager') ?? '';
  const errors: FieldError[] = [];
  if (!apply && forceText !== null) {
    errors.push({
      type: 'FieldValueForbidden',
      field: 'force',
      detail: 'Forbidden: may not be specified for non-apply patch',
    });
  }
  if (apply && requested === '') {
    errors.push({
      type: 'FieldValueRequired',
      field: 'fieldManager',
      detail: 'Required value: is required for apply patch',
    });
  }
  errors.push(...fieldManagerErrors(requested));
  if (errors.length) throw invalidOptions('PatchOptions', errors);
  return { manager: requested || userAgentPrefix(userAgent ?? ''), force };
}
