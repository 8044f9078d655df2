import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate } from '../../server/src/core/helm/template';

/** The template line model: actions, line kinds, what each action reads, hostile input. */

const tpl = (lines: string[]) => parseTemplate('file:///c/templates/x.yaml', lines.join('\n'));

test('actions: strings holding braces, comments over lines, trim markers', () => {
  const t = tpl([
    'a: {{ printf "}}" .Values.a }}',
    '{{- /* a comment',
    '  over lines }} still comment */ -}}',
    'b: {{- .Values.b -}}',
  ]);
  assert.deepEqual(t.actions.map((a) => [a.kind, a.body]), [
    ['output', 'printf "}}" .Values.a'],
    ['comment', '/* a comment\n  over lines }} still comment */'],
    ['output', '.Values.b'],
  ]);
  // A line inside an action prints nothing of its own.
  assert.deepEqual(t.lines.map((l) => l.kind), ['literal', 'control', 'blank', 'literal']);
  assert.deepEqual(t.actions[0]!.values, [['a']]);
});

test('line kinds and structure: keys, items, patterns, emitters, block scalars, defines', () => {
  const t = tpl([
    '{{- if .Values.on }}',
    'spec:',
    '  {{- include "x.labels" . | nindent 2 }}',
    '  ports:',
    '    - name: {{ $.Values.name }}-http',
    '      {{ $k }}: {{ $v }}',
    '  script: |',
    '    key: not a key',
    '    {{ .Values.cmd }}',
    '  # a comment',
    '{{- end }}',
    '{{- define "x.labels" }}',
    'app: web',
    '{{- end }}',
  ]);
  const k = t.lines.map((l) => [l.kind, l.key?.text ?? '', l.col, l.dashes.join(',')]);
  assert.deepEqual(k, [
    ['control', '', 0, ''], ['literal', 'spec', 0, ''], ['emitter', '', 2, ''], ['literal', 'ports', 2, ''],
    ['literal', 'name', 6, '4'], ['literal', '\u0000', 6, ''], ['literal', 'script', 2, ''], ['scalar', 'key', 4, ''],
    ['scalar', '', 4, ''], ['comment', '', 2, ''], ['control', '', 0, ''], ['control', '', 0, ''], ['hidden', 'app', 0, ''], ['hidden', '', 0, ''],
  ]);
  assert.equal(t.lines[2]!.emitCol, 2);
  assert.ok(t.lines[4]!.value!.pattern.test('web-http') && !t.lines[4]!.value!.pattern.test('web-https'));
  assert.ok(t.lines[5]!.key!.pattern!.test('anything'));
  assert.deepEqual(t.defines.map((d) => [d.name, d.line]), [['x.labels', 11]]);
  assert.deepEqual(t.lines[1]!.conditions, [{ path: ['on'], truthy: true }]);
});

test('what actions read: with, range (item, key and value variables), $, index, else branches', () => {
  const t = tpl([
    '{{- with .Values.probe }}',
    'a: {{ .port }}',
    '{{- end }}',
    '{{- range $name, $p := .Values.ports }}',
    'b: {{ $name }}-{{ $p.number }}',
    '{{- end }}',
    '{{- range .Values.hosts }}',
    'c: {{ .host }} {{ $.Values.domain }}',
    '{{- end }}',
    'd: {{ index .Values.labels "app.kubernetes.io/name" }}',
    '{{- if not .Values.tls }}',
    'e: plain',
    '{{- else }}',
    'e: tls',
    '{{- end }}',
  ]);
  const reads = (line: number) => t.lines[line]!.actions.flatMap((a) => a.values.map((v) => v.join('.')));
  assert.deepEqual(reads(1), ['probe.port']);
  assert.deepEqual(reads(4), ['ports.*', 'ports.*.number']);
  assert.deepEqual(reads(7), ['hosts.*.host', 'domain']);
  assert.deepEqual(reads(9), ['labels.app.kubernetes.io/name']);
  assert.deepEqual(t.lines[11]!.conditions, [{ path: ['tls'], truthy: false }]);
  assert.deepEqual(t.lines[13]!.conditions, [{ path: ['tls'], truthy: true }]);
  assert.deepEqual(t.lines[1]!.conditions, [{ path: ['probe'], truthy: true }]);
});

test('hostile templates stay bounded: deep nesting, a long line of actions, unterminated actions', () => {
  const cases = [
    '{{ if .Values.x }}\n'.repeat(20_000) + 'a: b\n' + '{{ end }}\n'.repeat(20_000),
    'a: {{ x }}'.repeat(50_000),
    `{{ "${'x'.repeat(100_000)}`,
    '{{/*'.repeat(10_000),
    'k: v\n'.repeat(100_000),
  ];
  for (const text of cases) {
    const t0 = Date.now();
    const t = parseTemplate('file:///c/templates/h.yaml', text);
    assert.ok(t.lines.length > 0);
    assert.ok(Date.now() - t0 < 5000, `${text.slice(0, 20)}: ${Date.now() - t0} ms`);
  }
  // Matching a line of many actions against text that does not fit is linear.
  const many = parseTemplate('x', `v: ${'{{ .a }}-'.repeat(40)}end`).lines[0]!.value!.pattern;
  const t0 = Date.now();
  assert.equal(many.test('-'.repeat(50_000)), false);
  assert.ok(Date.now() - t0 < 500);
});
