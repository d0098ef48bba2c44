/**
 * Renders a Helm chart the way `helm template` does, for tests.
 *
 * Why this exists: helm cannot be installed on the machines the tests run on, and no maintained
 * JavaScript implementation of Go's text/template with Sprig renders Helm charts. On npm there are
 * basic parsers (@ctrl/golang-template, go-text-template) without Sprig or Helm's functions, a WASM
 * build of Go's engine with a single undocumented release (@evertdespiegeleer/go-template), and
 * Node-API bindings to Go's engine with Sprig (go-text-template-napi) whose install downloads a
 * prebuilt binary from outside the registry or compiles with a Go toolchain. So this renders
 * a disciplined subset: the constructs of go-template-syntax.ts and the functions of
 * helm-functions.ts, enough for the relay's chart. A chart that strays from the subset fails to
 * render here, loudly, rather than differently from Helm.
 *
 * What it does as Helm does: values.yaml coalesced with the given values (maps merge, null deletes
 * a default), `.Values`, `.Release`, `.Chart` (Chart.yaml's fields under Go's names) and
 * `.Template`, every file of templates/ parsed into one set (so `include` reaches any `define` and,
 * by path, any file), `_*` files rendered to nothing, `<no value>` removed from the output, NOTES.txt
 * rendered on its own, and the output split into YAML documents on `---`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { TemplateSet } from './go-template-executor.js';
import { parseTemplate } from './go-template-syntax.js';
import { type GoMap, GoStruct, type GoValue, isMap } from './go-values.js';
import { HELM_FUNCTIONS } from './helm-functions.js';

export interface HelmChart {
  name: string;
  metadata: GoStruct;
  defaultValues: GoMap;
  /** Template files by their path under templates/. */
  templates: Map<string, string>;
}

export interface RenderOptions {
  releaseName: string;
  namespace: string;
  /** Values over the chart's values.yaml, as `-f`/`--set` would give them. */
  values?: GoMap;
}

export interface RenderedChart {
  /** Each rendered manifest file (partials and NOTES.txt left out) by its path under templates/. */
  files: Map<string, string>;
  /** Every object of every file, in file order. */
  objects: Record<string, unknown>[];
  notes: string;
}

/** Chart.yaml's fields as Helm's chart.Metadata struct names them. */
const METADATA_FIELDS: Record<string, string> = {
  name: 'Name',
  home: 'Home',
  sources: 'Sources',
  version: 'Version',
  description: 'Description',
  keywords: 'Keywords',
  maintainers: 'Maintainers',
  icon: 'Icon',
  apiVersion: 'APIVersion',
  condition: 'Condition',
  tags: 'Tags',
  appVersion: 'AppVersion',
  deprecated: 'Deprecated',
  annotations: 'Annotations',
  kubeVersion: 'KubeVersion',
  dependencies: 'Dependencies',
  type: 'Type',
};

export async function loadChart(directory: string): Promise<HelmChart> {
  const chartYaml = parse(await readFile(join(directory, 'Chart.yaml'), 'utf8')) as Record<string, GoValue>;
  const unknown = Object.keys(chartYaml).filter((key) => !METADATA_FIELDS[key]);
  if (unknown.length > 0) throw new Error(`Chart.yaml: unknown fields ${unknown.join(', ')}`);
  if (chartYaml.apiVersion !== 'v2') throw new Error('Chart.yaml: apiVersion must be v2');
  const fields: Record<string, GoValue> = {};
  for (const [key, goName] of Object.entries(METADATA_FIELDS)) fields[goName] = chartYaml[key] ?? null;
  const name = String(chartYaml.name ?? '');
  if (!name) throw new Error('Chart.yaml: name is required');

  const values = parse(await readFile(join(directory, 'values.yaml'), 'utf8'), { version: '1.1' }) ?? {};
  if (!isMap(values)) throw new Error('values.yaml must hold a mapping');

  const templates = new Map<string, string>();
  const templatesDirectory = join(directory, 'templates');
  for (const file of (await readdir(templatesDirectory, { recursive: true, withFileTypes: true })).sort(
    (a, b) => (join(a.parentPath, a.name) < join(b.parentPath, b.name) ? -1 : 1),
  )) {
    if (!file.isFile()) continue;
    const path = join(file.parentPath, file.name).slice(templatesDirectory.length + 1);
    templates.set(path, await readFile(join(templatesDirectory, path), 'utf8'));
  }
  return { name, metadata: new GoStruct('*chart.Metadata', fields), defaultValues: values, templates };
}

/** Helm's coalescing of user values over a chart's defaults. */
export function coalesceValues(defaults: GoMap, overrides: GoMap): GoMap {
  const result: GoMap = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete result[key];
    else if (isMap(value) && isMap(result[key])) result[key] = coalesceValues(result[key] as GoMap, value);
    else result[key] = value;
  }
  return result;
}

export function renderChart(chart: HelmChart, options: RenderOptions): RenderedChart {
  const set = new TemplateSet(HELM_FUNCTIONS);
  const basePath = `${chart.name}/templates`;
  for (const [path, source] of chart.templates) {
    const name = `${basePath}/${path}`;
    const parsed = parseTemplate(name, source);
    set.add(name, parsed.body);
    for (const [defined, body] of parsed.defines) set.add(defined, body);
  }
  const unknown = set.unknownFunctions();
  if (unknown.length > 0) throw new Error(`function(s) not defined: ${unknown.join(', ')}`);

  const release = new GoStruct('*release.Release', {
    Name: options.releaseName,
    Namespace: options.namespace,
    IsInstall: true,
    IsUpgrade: false,
    Revision: 1n,
    Service: 'Helm',
  });
  const values = coalesceValues(chart.defaultValues, options.values ?? {});
  const render = (path: string) => {
    const name = `${basePath}/${path}`;
    const data: GoMap = {
      Values: values,
      Release: release,
      Chart: chart.metadata,
      Template: { Name: name, BasePath: basePath },
    };
    return set.execute(name, data).replaceAll('<no value>', '');
  };

  const files = new Map<string, string>();
  const objects: Record<string, unknown>[] = [];
  let notes = '';
  for (const path of chart.templates.keys()) {
    const base = path.split('/').at(-1)!;
    if (base.startsWith('_')) continue;
    if (path === 'NOTES.txt') {
      notes = render(path);
      continue;
    }
    const text = render(path);
    files.set(path, text);
    for (const document of text.split(/(?:^|\s*\n)---\s*/)) {
      if (document.trim() === '') continue;
      const parsed = parseAllDocuments(document, { version: '1.1' });
      // A document of comments only parses to none.
      if (parsed.length === 0) continue;
      if (!Array.isArray(parsed) || parsed.length > 1 || parsed[0]!.errors.length > 0) {
        const reason = Array.isArray(parsed) ? parsed[0]?.errors[0]?.message : 'not YAML';
        throw new Error(`YAML parse error on ${basePath}/${path}: ${reason ?? 'more than one document'}`);
      }
      const object = parsed[0]!.toJS() as unknown;
      if (object === null) continue;
      if (!isMap(object as GoValue)) throw new Error(`${basePath}/${path}: a document is not a mapping`);
      objects.push(object as Record<string, unknown>);
    }
  }
  return { files, objects, notes };
}
