/**
 * Merging Switchboard's entries into a user's kubeconfig (`~/.kube/config`), only when asked, and
 * taking exactly them out again.
 *
 * Rules:
 * - Merge backs the file up first (`<file>.switchboard-backup-<timestamp>`, 0600), writes
 *   atomically keeping the file's mode, and never changes `current-context`. Everything else stays
 *   as the `yaml` package parsed it (comments included; its serializer may normalise spacing).
 * - An entry with a Switchboard name that Switchboard did not add is a conflict: nothing is written.
 * - What was added is recorded (per target file, in `<config dir>/kubeconfig-merges.json`) as
 *   section, name and a SHA-256 of the entry's content — no secrets in the record.
 * - Unmerge: if the file is byte-for-byte what the last merge wrote, the pre-merge bytes come back
 *   exactly (or the file is removed if the merge created it). Otherwise the recorded entries are
 *   removed one by one, except entries the user changed by hand since (their hash differs): those
 *   stay, and are reported, because removing someone's edits is worse than leaving an entry behind.
 *   Sections the merge created and that end up empty are removed too.
 * - A malformed kubeconfig is an error naming the file; nothing is written.
 */
import { createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Document, isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { z } from 'zod';
import { writeFileAtomic } from '../files/atomic-write.js';
import type { KubeconfigEntry } from './switchboard-kubeconfig.js';

export class KubeconfigFileError extends Error {
  override readonly name = 'KubeconfigFileError';
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}; nothing was written`);
  }
}

const SECTIONS = ['clusters', 'contexts', 'users'] as const;
type Section = (typeof SECTIONS)[number];

const mergeRecordSchema = z.object({
  entries: z.array(z.object({ section: z.enum(SECTIONS), name: z.string(), sha256: z.string() })),
  createdSections: z.array(z.enum(SECTIONS)),
  /** SHA-256 of the file as the last merge wrote it. */
  writtenSha256: z.string(),
  /** The bytes before the first merge, for an exact restore while nobody else touched the file. */
  restore: z
    .object({ existed: z.boolean(), backupPath: z.string().optional(), sha256: z.string().optional() })
    .optional(),
});
type MergeRecord = z.infer<typeof mergeRecordSchema>;
const recordsSchema = z.record(z.string(), mergeRecordSchema);

export interface MergeResult {
  path: string;
  backupPath?: string;
  added: string[];
  updated: string[];
  removed: string[];
}

export interface UnmergeResult {
  path: string;
  backupPath?: string;
  /** `restored`: the exact pre-merge bytes; `removed-entries`: entry by entry; `nothing`: no record. */
  how: 'restored' | 'deleted-file' | 'removed-entries' | 'nothing';
  removed: string[];
  /** Entries left in place because they were changed by hand since the merge. */
  keptChanged: string[];
}

/** The merge records (`kubeconfig-merges.json` in the config directory). */
export class MergeRecords {
  private readonly file: string;
  constructor(configDirectory: string) {
    this.file = resolve(configDirectory, 'kubeconfig-merges.json');
  }
  async get(target: string): Promise<MergeRecord | undefined> {
    return (await this.readAll())[target];
  }
  async set(target: string, record: MergeRecord | undefined): Promise<void> {
    const all = await this.readAll();
    if (record) all[target] = record;
    else delete all[target];
    await writeFileAtomic(this.file, `${JSON.stringify(all, null, 2)}\n`, 0o600);
  }
  private async readAll(): Promise<Record<string, MergeRecord>> {
    const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) return {};
    try {
      return recordsSchema.parse(JSON.parse(text));
    } catch {
      throw new Error(`${this.file} is not a valid Switchboard merge record; fix or delete it`);
    }
  }
}

export async function mergeKubeconfig(
  targetPath: string,
  entries: readonly KubeconfigEntry[],
  records: MergeRecords,
  now: Date = new Date(),
): Promise<MergeResult> {
  const path = resolve(targetPath);
  const original = await readIfExists(path);
  const doc = parseKubeconfig(path, original);
  const previous = await records.get(path);
  const ours = new Map((previous?.entries ?? []).map((entry) => [`${entry.section}/${entry.name}`, entry]));
  const originalSha = original === undefined ? undefined : sha256(original);

  // Conflicts first, so nothing is written when there is one.
  for (const entry of entries) {
    const existing = findEntry(doc, entry.section, entry.name);
    if (existing && !ours.has(`${entry.section}/${entry.name}`)) {
      throw new KubeconfigFileError(
        path,
        `it already has ${entry.section.slice(0, -1)} "${entry.name}", which Switchboard did not add; rename or remove it first`,
      );
    }
  }

  const result: MergeResult = { path, added: [], updated: [], removed: [] };
  const createdSections = new Set(previous?.createdSections ?? []);
  if (original === undefined || doc.contents === null || !isMap(doc.contents)) {
    doc.contents = doc.createNode({ apiVersion: 'v1', kind: 'Config', preferences: {} }) as never;
  }
  for (const entry of entries) {
    const existing = findEntry(doc, entry.section, entry.name);
    if (existing) {
      const seq = doc.get(entry.section) as YAMLSeq;
      seq.items[existing.index] = doc.createNode(entry.value);
      result.updated.push(`${entry.section}/${entry.name}`);
    } else {
      const seq = doc.get(entry.section);
      if (isSeq(seq)) seq.items.push(doc.createNode(entry.value));
      else {
        doc.set(entry.section, doc.createNode([entry.value]));
        createdSections.add(entry.section);
      }
      result.added.push(`${entry.section}/${entry.name}`);
    }
  }
  // Entries from an earlier merge for clusters no longer granted (unless changed by hand).
  const wanted = new Set(entries.map((entry) => `${entry.section}/${entry.name}`));
  for (const [key, recorded] of ours) {
    if (wanted.has(key)) continue;
    const existing = findEntry(doc, recorded.section, recorded.name);
    if (existing && entrySha(existing.node) === recorded.sha256) {
      (doc.get(recorded.section) as YAMLSeq).items.splice(existing.index, 1);
      result.removed.push(key);
    }
  }

  const text = serialize(doc, original);
  if (original !== undefined) {
    result.backupPath = `${path}.switchboard-backup-${timestampOf(now)}`;
    await writeFileAtomic(result.backupPath, original, 0o600);
  }
  await writeFileAtomic(path, text, await modeOf(path));

  // The exact restore stays possible only while the file is what we last wrote.
  const restore =
    previous?.restore && originalSha === previous.writtenSha256
      ? previous.restore
      : previous
        ? undefined
        : {
            existed: original !== undefined,
            ...(result.backupPath !== undefined && { backupPath: result.backupPath }),
            ...(originalSha !== undefined && { sha256: originalSha }),
          };
  await records.set(path, {
    entries: entries.map((entry) => ({
      section: entry.section,
      name: entry.name,
      sha256: entrySha(doc.createNode(entry.value) as YAMLMap),
    })),
    createdSections: [...createdSections],
    writtenSha256: sha256(Buffer.from(text, 'utf8')),
    ...(restore && { restore }),
  });
  return result;
}

export async function unmergeKubeconfig(
  targetPath: string,
  records: MergeRecords,
  now: Date = new Date(),
): Promise<UnmergeResult> {
  const path = resolve(targetPath);
  const record = await records.get(path);
  const result: UnmergeResult = { path, how: 'nothing', removed: [], keptChanged: [] };
  if (!record) return result;
  const current = await readIfExists(path);
  if (current === undefined) {
    await records.set(path, undefined);
    return result;
  }

  if (sha256(current) === record.writtenSha256 && record.restore) {
    const { restore } = record;
    if (!restore.existed) {
      await rm(path, { force: true });
      await records.set(path, undefined);
      return { ...result, how: 'deleted-file', removed: record.entries.map((e) => `${e.section}/${e.name}`) };
    }
    const backup = restore.backupPath ? await readIfExists(restore.backupPath) : undefined;
    if (backup !== undefined && sha256(backup) === restore.sha256) {
      await writeFileAtomic(path, backup, await modeOf(path));
      await records.set(path, undefined);
      return { ...result, how: 'restored', removed: record.entries.map((e) => `${e.section}/${e.name}`) };
    }
  }

  const doc = parseKubeconfig(path, current);
  for (const recorded of record.entries) {
    const existing = findEntry(doc, recorded.section, recorded.name);
    const key = `${recorded.section}/${recorded.name}`;
    if (!existing) continue;
    if (entrySha(existing.node) !== recorded.sha256) {
      result.keptChanged.push(key);
      continue;
    }
    (doc.get(recorded.section) as YAMLSeq).items.splice(existing.index, 1);
    result.removed.push(key);
  }
  for (const section of record.createdSections) {
    const seq = doc.get(section);
    if (isSeq(seq) && seq.items.length === 0) doc.delete(section);
  }
  result.backupPath = `${path}.switchboard-backup-${timestampOf(now)}`;
  await writeFileAtomic(result.backupPath, current, 0o600);
  await writeFileAtomic(path, serialize(doc, current), await modeOf(path));
  await records.set(path, undefined);
  return { ...result, how: 'removed-entries' };
}

function parseKubeconfig(path: string, bytes: Buffer | undefined): Document {
  if (bytes === undefined) return new Document();
  const doc = parseDocument(bytes.toString('utf8'), { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new KubeconfigFileError(path, `not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`);
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new KubeconfigFileError(path, 'not a kubeconfig (the top level is not a mapping)');
  }
  for (const section of SECTIONS) {
    const value = doc.get(section);
    if (value === undefined || value === null) continue;
    if (!isSeq(value)) throw new KubeconfigFileError(path, `not a kubeconfig ("${section}" is not a list)`);
    for (const item of value.items) {
      if (!isMap(item) || typeof item.get('name') !== 'string') {
        throw new KubeconfigFileError(path, `not a kubeconfig (an entry of "${section}" has no name)`);
      }
    }
  }
  return doc;
}

function findEntry(
  doc: Document,
  section: Section,
  name: string,
): { index: number; node: YAMLMap } | undefined {
  const seq = doc.get(section);
  if (!isSeq(seq)) return undefined;
  const index = seq.items.findIndex((item) => isMap(item) && item.get('name') === name);
  return index >= 0 ? { index, node: seq.items[index] as YAMLMap } : undefined;
}

/** Hash of an entry's content, independent of formatting and key order. */
function entrySha(node: YAMLMap): string {
  return createHash('sha256').update(canonicalJson(node.toJSON())).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** kubectl writes lists unindented (`- name:` under the key); keep whichever style the file uses. */
function serialize(doc: Document, original: Buffer | undefined): string {
  const text = original?.toString('utf8') ?? '';
  const indentSeq = /^[A-Za-z-]+:[ \t]*\n[ \t]+- /m.test(text) && !/^[A-Za-z-]+:[ \t]*\n- /m.test(text);
  return doc.toString({ indentSeq, lineWidth: 0 });
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  return readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

async function modeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch {
    return 0o600;
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function timestampOf(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}
