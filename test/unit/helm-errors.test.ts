import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { RenderProblem } from '../../server/src/core/render/types';
import { helmErrorMessage } from '../../server/src/core/helm/errors';
import { chartFolder, edit, place, renderWithCore, write } from '../helpers/helm';

/**
 * Render errors of real helm runs (`required`, `fail`, execution and parse errors, invalid YAML
 * out of a template, a broken values file, an incompatible kubeVersion) as one
 * `helm-render-failed` problem at the line they come from.
 */

const charts = chartFolder('err');
const freshChart = (): string => charts.fresh();

function only(problems: readonly RenderProblem[]): RenderProblem {
  assert.equal(problems.length, 1, JSON.stringify(problems, null, 1));
  assert.equal(problems[0]!.code, 'helm-render-failed');
  assert.equal(problems[0]!.severity, 'error');
  return problems[0]!;
}

function at(files: ReadonlyMap<string, string>, p: RenderProblem) {
  return place(files, p.uri, p.span.start);
}

/** 1-based line of the first line of a chart file that contains the text (the planted mistake). */
function lineIn(dir: string, file: string, text: string): number {
  const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} in ${file}`);
  return i + 1;
}

test('`required` fails at template:line:col: the problem is on that template line, with helm\'s message', () => {
  const dir = freshChart();
  edit(path.join(dir, 'templates/service.yaml'), 'port: {{ .Values.service.port }}', 'port: {{ required "set service.port for the web Service" .Values.service.nope }}');
  const { render, files } = renderWithCore(dir);
  assert.equal(render.documents, undefined);
  const p = only(render.problems);
  assert.deepEqual(at(files, p), { file: 'service.yaml', line: lineIn(dir, 'templates/service.yaml', 'required'), text: '- port: {{ required "set service.port for the web Service" .Values.service.nope }}' });
  assert.match(p.message, /set service\.port for the web Service/);
  // The span starts at the column helm names (the action) and ends with it.
  assert.equal(files.get(p.uri)!.slice(p.span.start, p.span.end), '{{ required "set service.port for the web Service" .Values.service.nope }}');
});

test('`fail` in a helper: the problem is on the line that includes it, the `fail` call is related', () => {
  const dir = freshChart();
  const name = path.basename(dir);
  edit(path.join(dir, 'templates/_helpers.tpl'), `{{- define "${name}.chart" -}}`, `{{- define "${name}.chart" -}}\n{{- fail "the chart label cannot be computed" }}`);
  const { render, files } = renderWithCore(dir);
  const p = only(render.problems);
  const where = at(files, p);
  assert.match(where.text, /include "err\d+\.labels"/, 'helm names the include site in a template');
  assert.match(p.message, /the chart label cannot be computed/);
  const related = (p.related ?? []).map((r) => place(files, r.uri, r.span.start));
  assert.ok(related.some((r) => r.file === '_helpers.tpl' && r.text === '{{- fail "the chart label cannot be computed" }}'), JSON.stringify(related));
});

test('an execution error (nil pointer) is at the action helm names', () => {
  const dir = freshChart();
  edit(path.join(dir, 'templates/deployment.yaml'), 'replicas: {{ .Values.replicaCount }}', 'replicas: {{ .Values.scaling.replicas.count }}');
  const { render, files } = renderWithCore(dir);
  const p = only(render.problems);
  assert.deepEqual(at(files, p), { file: 'deployment.yaml', line: lineIn(dir, 'templates/deployment.yaml', 'scaling.replicas'), text: 'replicas: {{ .Values.scaling.replicas.count }}' });
  assert.match(p.message, /nil pointer/);
});

test('a template syntax error (parse error) is on its line', () => {
  const dir = freshChart();
  edit(path.join(dir, 'templates/service.yaml'), 'type: {{ .Values.service.type }}', 'type: {{ .Values.service.type }');
  const { render, files } = renderWithCore(dir);
  const p = only(render.problems);
  assert.deepEqual(at(files, p), { file: 'service.yaml', line: lineIn(dir, 'templates/service.yaml', 'type: {{'), text: 'type: {{ .Values.service.type }' });
  assert.match(p.message, /parse error/);
});

test('invalid YAML out of a template: helm names a rendered line; the problem is on the template line it came from', () => {
  const dir = freshChart();
  // One space short: the parser error Go reports one line early (a 0-based line number).
  edit(path.join(dir, 'templates/service.yaml'), '      targetPort: http', '     targetPort: http');
  const { render, files } = renderWithCore(dir);
  const p = only(render.problems);
  assert.deepEqual(at(files, p), { file: 'service.yaml', line: lineIn(dir, 'templates/service.yaml', '     targetPort: http'), text: 'targetPort: http' });
  assert.match(p.message, /YAML parse error on err\d+\/templates\/service\.yaml/);
  assert.match(p.message, /rendered line \d+: `targetPort: http`/);
});

test('invalid YAML from a scanner error (exact line) after helper output of several lines', () => {
  const dir = freshChart();
  edit(path.join(dir, 'templates/service.yaml'), '      name: http', '      name: http: web');
  const { render, files } = renderWithCore(dir);
  const p = only(render.problems);
  assert.deepEqual(at(files, p), { file: 'service.yaml', line: lineIn(dir, 'templates/service.yaml', 'name: http: web'), text: 'name: http: web' });
  assert.match(p.message, /mapping values are not allowed/);
});

test('a values file that is not YAML: the problem is on its line', () => {
  const dir = freshChart();
  const values = path.join(dir, 'values-broken.yaml');
  write(values, 'service:\n  port: 80\n  type: [ClusterIP\n');
  const { render, files } = renderWithCore(dir, { values });
  const p = only(render.problems);
  assert.deepEqual(place(files, p.uri, p.span.start), { file: 'values-broken.yaml', line: 3, text: 'type: [ClusterIP' });
  assert.match(p.message, /failed to parse/);
});

test('a kubeVersion the cluster version does not meet: the problem is on Chart.yaml\'s kubeVersion line', () => {
  const dir = freshChart();
  edit(path.join(dir, 'Chart.yaml'), /^version: /m, 'kubeVersion: ">=1.99.0-0"\nversion: ');
  const { render, files } = renderWithCore(dir);
  const p = only(render.problems);
  assert.deepEqual(at(files, p), { file: 'Chart.yaml', line: lineIn(dir, 'Chart.yaml', 'kubeVersion'), text: 'kubeVersion: ">=1.99.0-0"' });
  assert.match(p.message, /kubeVersion/);
});

test('helm\'s message without its debug output and hints', () => {
  const stderr = [
    'install.go:225: 2026-01-01 [debug] Original chart version: ""',
    '',
    'Error: execution error at (c/templates/s.yaml:3:4): boom',
    'helm.go:86: 2026-01-01 [debug] execution error at (c/templates/s.yaml:3:4): boom',
    'main.main',
  ].join('\n');
  assert.equal(helmErrorMessage(stderr), 'execution error at (c/templates/s.yaml:3:4): boom');
  assert.equal(helmErrorMessage('Error: a\n  b\n\nUse --debug flag to render out invalid YAML\n'), 'a\n  b');
  assert.equal(helmErrorMessage('nothing here'), undefined);
});
