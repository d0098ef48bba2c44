/** An object as the YAML tab shows it. */
import { stringify } from 'yaml';
import type { Fields } from './kube-fields.js';

export function yamlOf(object: Fields): string {
  // Managed fields are bookkeeping for server-side apply: long and of no use to a reader.
  const metadata = object.metadata as Record<string, unknown> | undefined;
  if (metadata) delete metadata.managedFields;
  return stringify(object, { lineWidth: 0 });
}
