/**
 * The test renderer of Helm charts (support/helm/): each construct and function of its subset gives
 * what Go's text/template, Sprig and Helm give as their sources define it (helm itself cannot run
 * here), and anything outside the subset is refused instead of rendered differently.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TemplateSet } from './support/helm/go-template-executor.js';
import { parseTemplate } from './support/helm/go-template-syntax.js';
import { type GoMap, GoStruct } from './support/helm/go-values.js';
import { coalesceValues, loadChart, renderChart } from './support/helm/helm-chart.js';
import { HELM_FUNCTIONS } from './support/helm/helm-functions.js';

const release = new GoStruct('*release.Release', { Name: 'r', Namespace: 'ns', Service: 'Helm' });

function render(source: string, values: GoMap = {}, defines = ''): string {
  const set = new TemplateSet(HELM_FUNCTIONS);
  for (const [name, body] of parseTemplate('helpers', defines).defines) set.add(name, body);
  set.add('t', parseTemplate('t', source).body);
  return set.execute('t', { Values: values, Release: release });
}

describe('text/template', () => {
  it('trims whitespace beside {{- and -}} and drops comments', () => {
    expect(render('a  \n  {{- "b" -}}  \n c')).toBe('abc');
    expect(render('a {{/* why */}} b')).toBe('a  b');
    expect(render('a\n{{- /* why */ -}}\nb')).toBe('ab');
    // A minus without the space is a negative number, not a trim marker.
    expect(render('a {{-3}} b')).toBe('a -3 b');
  });

  it('looks fields up in maps (missing: nothing) and structs (missing: an error), and never on nil', () => {
    expect(render('[{{ .Values.a.b }}]', { a: { b: 'x' } })).toBe('[x]');
    expect(render('[{{ .Values.missing }}]')).toBe('[<no value>]');
    expect(() => render('{{ .Values.missing.b }}')).toThrow(/t:1: nil pointer evaluating interface \{\}\.b/);
    expect(() => render('{{ .Release.Namepsace }}')).toThrow(
      /can't evaluate field Namepsace in type \*release\.Release/,
    );
    expect(() => render('{{ .Values.a.b }}', { a: 'text' })).toThrow(/can't evaluate field b in type string/);
  });

  it('branches with if / else if / else and with / else, on Go truth', () => {
    const template = '{{ if .Values.a }}A{{ else if .Values.b }}B{{ else }}C{{ end }}';
    expect(render(template, { a: true })).toBe('A');
    expect(render(template, { a: 0, b: 'x' })).toBe('B');
    expect(render(template, { a: [], b: {} })).toBe('C');
    expect(render('{{ with .Values.a }}<{{ .x }}>{{ else }}none{{ end }}', { a: { x: 1 } })).toBe('<1>');
    expect(render('{{ with .Values.a }}<{{ .x }}>{{ else }}none{{ end }}', { a: {} })).toBe('none');
  });

  it('ranges over lists in order and maps by key, with $ still the root', () => {
    const values = { list: ['x', 'y'], map: { b: 2, a: 1 }, name: 'n' };
    expect(render('{{ range $i, $v := .Values.list }}{{ $i }}={{ $v }};{{ end }}', values)).toBe('0=x;1=y;');
    expect(
      render('{{ range $k, $v := .Values.map }}{{ $k }}={{ $v }}/{{ $.Values.name }};{{ end }}', values),
    ).toBe('a=1/n;b=2/n;');
    expect(render('{{ range .Values.none }}x{{ else }}empty{{ end }}')).toBe('empty');
  });

  it('scopes variables to their control structure, and assigns with =', () => {
    expect(render('{{ $x := "a" }}{{ if true }}{{ $x = "b" }}{{ $y := "c" }}{{ end }}{{ $x }}')).toBe('b');
    expect(() => render('{{ if true }}{{ $y := "c" }}{{ end }}{{ $y }}')).toThrow(/undefined variable "\$y"/);
  });

  it('passes a pipeline value as the last argument, and evaluates and/or lazily', () => {
    expect(render('{{ "a" | printf "%s-%s" "b" }}')).toBe('b-a');
    expect(render('{{ or .Values.a "fallback" }}')).toBe('fallback');
    // The missing map would fail if `and` evaluated its second argument.
    expect(render('{{ and .Values.missing .Values.missing.field }}')).toBe('<no value>');
    expect(() => render('{{ "a" | "b" }}')).toThrow(/non executable command in pipeline stage 2/);
  });

  it('includes named templates with the data given, and refuses unknown ones', () => {
    const defines = '{{- define "greet" -}}hello {{ .who }}{{- end }}';
    expect(render('{{ include "greet" .Values | quote }}', { who: 'x' }, defines)).toBe('"hello x"');
    expect(render('{{ template "greet" .Values }}', { who: 'y' }, defines)).toBe('hello y');
    expect(() => render('{{ include "nope" . }}')).toThrow(/no template "nope"/);
  });

  it('refuses what is outside its subset at parse time', () => {
    expect(() => parseTemplate('t', '{{ block "x" . }}{{ end }}')).toThrow(
      /t:1: \{\{block\}\} is outside the subset/,
    );
    expect(() => parseTemplate('t', 'a\n{{ if .x }}')).toThrow(/t:2: unexpected EOF/);
    expect(() => parseTemplate('t', '{{ end }}')).toThrow(/unexpected \{\{end\}\}/);
    expect(() => parseTemplate('t', '{{ .a')).toThrow(/unclosed action/);
    const set = new TemplateSet(HELM_FUNCTIONS);
    set.add('t', parseTemplate('t', '{{ .Values.x | upper }}').body);
    expect(set.unknownFunctions()).toEqual(['upper']);
  });
});

describe('the functions', () => {
  it('print float64 values as Go does, and ints from int', () => {
    const values = { small: 20000, big: 1000000, fraction: 0.5 };
    expect(render('{{ .Values.small }} {{ .Values.big }} {{ .Values.fraction }}', values)).toBe(
      '20000 1e+06 0.5',
    );
    expect(render('{{ .Values.big | int }} {{ int "42" }} {{ int "x" }}', values)).toBe('1000000 42 0');
    expect(render('{{ .Values.big | quote }} {{ .Values.big | int | quote }}', values)).toBe(
      '"1e+06" "1000000"',
    );
    expect(() => render('{{ eq .Values.small 20000 }}', values)).toThrow(/incompatible types for comparison/);
    expect(render('{{ eq (.Values.small | int) 20000 }}', values)).toBe('true');
  });

  it('quote, default, empty, required', () => {
    expect(render('{{ quote "a\\"b\\\\c\\n" }}')).toBe('"a\\"b\\\\c\\n"');
    expect(render('{{ quote .Values.missing }}|{{ quote true 1 }}')).toBe('|"true" "1"');
    expect(render('{{ .Values.a | default "d" }} {{ .Values.b | default "d" }}', { a: '', b: 'given' })).toBe(
      'd given',
    );
    expect(render('{{ empty .Values.a }} {{ empty .Values.b }}', { a: {}, b: [0] })).toBe('true false');
    expect(render('{{ required "need a" .Values.a }}', { a: 'x' })).toBe('x');
    expect(() => render('{{ required "need a" .Values.a }}', { a: '' })).toThrow(
      /error calling required: need a/,
    );
    expect(render('{{ required "zero is a value" .Values.a }}', { a: 0 })).toBe('0');
  });

  it('toYaml (sorted, YAML 1.1 quoting, no trailing newline), indent and nindent', () => {
    const values = { m: { b: ['x', 'y'], a: 'off', c: '3600', d: 1 } };
    expect(render('{{ toYaml .Values.m }}', values)).toBe('a: "off"\nb:\n- x\n- "y"\nc: "3600"\nd: 1');
    expect(render('k:{{ toYaml .Values.m | nindent 2 }}', values)).toBe(
      'k:\n  a: "off"\n  b:\n  - x\n  - "y"\n  c: "3600"\n  d: 1',
    );
    expect(render('{{ indent 2 "a\\nb" }}')).toBe('  a\n  b');
    expect(render('{{ toYaml .Values.none }}|{{ toYaml .Values.e }}', { e: {} })).toBe('null|{}');
  });

  it('printf, join, trunc, trimSuffix, sha256sum, b64enc, len, not, ne, print', () => {
    expect(render('{{ printf "%s-%d-%v-%q%%" "a" 3 true "q" }}')).toBe('a-3-true-"q"%');
    expect(render('{{ printf "%d" .Values.n }}', { n: 3 })).toBe('%!d(float64=3)');
    expect(render('{{ join "," .Values.l }}', { l: ['a', 1, 'b'] })).toBe('a,1,b');
    expect(render('{{ trunc 3 "abcdef" }} {{ "name-" | trimSuffix "-" }}')).toBe('abc name');
    expect(render('{{ sha256sum "abc" }}')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(render('{{ b64enc "user:pass" }}')).toBe('dXNlcjpwYXNz');
    expect(render('{{ len .Values.l }} {{ not .Values.l }} {{ ne "a" "b" }}', { l: [1, 2] })).toBe(
      '2 false true',
    );
    expect(render('{{ print "a" 1 2 "b" }}')).toBe('a1 2b');
  });
});

describe('a chart', () => {
  let directory: string;

  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  async function writeChart(): Promise<string> {
    directory = await mkdtemp(join(tmpdir(), 'helm-renderer-'));
    await mkdir(join(directory, 'templates'));
    await writeFile(
      join(directory, 'Chart.yaml'),
      'apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: "4.5"\n',
    );
    await writeFile(
      join(directory, 'values.yaml'),
      'replicas: 2\nextra:\n  keep: a\n  drop: b\nmode: 0440\n',
    );
    await writeFile(
      join(directory, 'templates/_helpers.tpl'),
      '{{- define "demo.name" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end }}\n',
    );
    await writeFile(
      join(directory, 'templates/objects.yaml'),
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: {{ include "demo.name" . }}',
        'data:',
        '  version: {{ .Chart.AppVersion | quote }}',
        '  file: {{ .Template.Name }}',
        '  mode: {{ .Values.mode | quote }}',
        '  extra: {{ toYaml .Values.extra | quote }}',
        '  checksum: {{ include (print $.Template.BasePath "/other.yaml") . | sha256sum }}',
        '---',
        '# only a comment',
        '---',
        '{{- if gt 1 0 }}{{ end }}',
      ].join('\n'),
    );
    await writeFile(
      join(directory, 'templates/other.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n',
    );
    await writeFile(
      join(directory, 'templates/NOTES.txt'),
      'Installed {{ .Release.Name }} in {{ .Release.Namespace }}.',
    );
    return directory;
  }

  it('renders with coalesced values, splits documents, renders the notes apart and leaves partials out', async () => {
    const chart = await loadChart(await writeChart());
    // `gt` is outside the subset: the whole chart is refused, not rendered without it.
    expect(() => renderChart(chart, { releaseName: 'rel', namespace: 'ns' })).toThrow(/not defined: gt/);
    chart.templates.set(
      'objects.yaml',
      chart.templates.get('objects.yaml')!.replace('{{- if gt 1 0 }}{{ end }}', ''),
    );
    const rendered = renderChart(chart, {
      releaseName: 'rel',
      namespace: 'ns',
      values: { extra: { drop: null } },
    });
    expect([...rendered.files.keys()]).toEqual(['objects.yaml', 'other.yaml']);
    expect(rendered.notes).toBe('Installed rel in ns.');
    const [configMap, namespace] = rendered.objects;
    expect(namespace).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
    expect(configMap).toMatchObject({
      metadata: { name: 'rel-demo' },
      data: {
        version: '4.5',
        file: 'demo/templates/objects.yaml',
        // values.yaml is YAML 1.1, as Helm reads it: 0440 is octal.
        mode: '288',
        extra: 'keep: a',
      },
    });
    expect((configMap as { data: { checksum: string } }).data.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rendered.objects).toHaveLength(2);
  });

  it('coalesces maps key by key, with null deleting a default', () => {
    expect(coalesceValues({ a: { b: 1, c: 2 }, d: [1] }, { a: { c: null, e: 3 }, d: [2] })).toEqual({
      a: { b: 1, e: 3 },
      d: [2],
    });
  });
});
