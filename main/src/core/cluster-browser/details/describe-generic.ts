/**
 * Any other kind (ConfigMaps, CRDs…): its spec and status top-level fields, each value shortened to
 * one line, plus its conditions when it has them; what does not fit is in the YAML tab.
 */
import type { DescribeField, DescribeSection } from '@switchboard/contract/app';
import { conditionsSection } from './describe-conditions.js';
import { type Fields, fields } from './kube-fields.js';

/** A value longer than this is cut (the YAML tab has it whole). */
const MAX_VALUE_CHARS = 200;
/** Top-level fields shown per part; a ConfigMap with 500 keys lists the first ones. */
const MAX_FIELDS = 40;
/** Fields that are not the object's own content. */
const OBJECT_ENVELOPE = new Set(['apiVersion', 'kind', 'metadata', 'status']);

export function describeGeneric(object: Fields): DescribeSection[] {
  const status = fields(object.status);
  const content = Object.entries(object).filter(([key]) => !OBJECT_ENVELOPE.has(key));
  // Most kinds keep their content under spec; ConfigMaps and Secrets under data, and so on.
  const contentFields =
    content.length === 1 && content[0]![0] === 'spec' ? Object.entries(fields(object.spec)) : content;
  const statusFields = Object.entries(status).filter(([key]) => key !== 'conditions');
  return [
    ...(contentFields.length === 0 ? [] : [{ title: 'Spec', fields: summarise(contentFields) }]),
    ...(statusFields.length === 0 ? [] : [{ title: 'Status', fields: summarise(statusFields) }]),
    ...conditionsSection(object),
  ];
}

function summarise(entries: [string, unknown][]): DescribeField[] {
  const shown = entries.slice(0, MAX_FIELDS).map(([label, value]) => ({ label, value: oneLine(value) }));
  return entries.length > MAX_FIELDS
    ? [...shown, { label: '…', value: `${entries.length - MAX_FIELDS} more fields in the YAML tab` }]
    : shown;
}

function oneLine(value: unknown): string {
  const rendered = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
  const flat = rendered.replace(/\s+/g, ' ');
  return flat.length > MAX_VALUE_CHARS ? `${flat.slice(0, MAX_VALUE_CHARS - 1)}…` : flat;
}
