/**
 * Reading untyped Kubernetes JSON safely: objects stay as the apiserver sent them (see
 * cluster-client.ts), so every field is checked for its type where it is read.
 */
export type Fields = Record<string, unknown>;

export const fields = (value: unknown): Fields =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : {};
export const list = (value: unknown): Fields[] => (Array.isArray(value) ? value.map(fields) : []);
export const text = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
export const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
export const stringMap = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(fields(value)).filter(([, each]) => typeof each === 'string')) as Record<
    string,
    string
  >;

/** `a=b,c=d`, as kubectl prints label maps and selectors; `<none>` when empty. */
export function formatMap(map: Record<string, string>): string {
  const pairs = Object.entries(map).map(([key, value]) => `${key}=${value}`);
  return pairs.length === 0 ? '<none>' : pairs.join(',');
}
