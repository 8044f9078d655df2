import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Workspace } from '../../server/src/core/variants/workspace';
import { discoverCharts } from '../../server/src/core/helm/index';
import type { VariantRender } from '../../server/src/core/render/types';
import { LineIndex } from '../../server/src/core/lineIndex';
import type { Finding } from '../../server/src/core/types';
import { chartFolder, edit, helmCreate, originOf, readTree, renderWithCore, uriOf, write } from '../helpers/helm';

/**
 * Source mapping of Helm output: charts made by `helm create` (the real helm), with mistakes
 * planted in templates, helpers and values; rendered by the real helm in the test; mapped by the
 * core; analysed by the variant layer. Assertions name template lines by their text.
 */

const charts = chartFolder('web');
const freshChart = (): string => charts.fresh();

/** Findings of the chart through the Workspace, as `file:line code`, with related `file:line` (template-skipped left out). */
function analyse(chartDir: string, render: VariantRender): { text: string[]; findings: Finding[] } {
  const files = readTree(chartDir);
  const ws = new Workspace();
  for (const [uri, text] of files) if (/\.ya?ml$/.test(uri)) ws.updateFile(uri, 1, text);
  const chart = discoverCharts(files.keys(), { root: uriOf(path.dirname(chartDir)) }).charts[0]!;
  ws.setVariant(render, chart.members);
  const findings = [...ws.allFindings().values()].flat().filter((f) => f.code !== 'template-skipped');
  const at = (uri: string, line: number) => `${path.relative(chartDir, new URL(uri).pathname)}:${line + 1}`;
  return {
    findings,
    text: findings.map((f) => `${at(f.uri, f.range.start.line)} ${f.code}${f.related.length ? ` [${f.related.map((r) => at(r.uri, r.range.start.line)).join(', ')}]` : ''}`),
  };
}

function lineOf(file: string, needle: string): number {
  const text = readTree(path.dirname(file)).get(uriOf(file))!;
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `${needle} in ${file}`);
  return new LineIndex(text).positionAt(i).line + 1;
}

test('a clean `helm create` chart renders, maps every field to a chart file line and reports nothing', () => {
  const dir = freshChart();
  const { render, files } = renderWithCore(dir);
  assert.deepEqual(render.problems, []);
  assert.ok(render.documents && render.documents.length === 3, `ServiceAccount, Service, Deployment (tests left out): ${render.documents?.length}`);
  for (const d of render.documents!) {
    assert.ok(!d.text.includes('test-connection'), 'the test hook is not rendered');
    for (const m of d.map) {
      assert.ok(files.has(m.origin.uri), `every origin is a chart file: ${m.origin.uri}`);
      assert.ok(!m.origin.uri.startsWith('kube-traffic-render:'));
      // A key mapped to a literal template key is that key.
      const rendered = d.text.slice(m.span.start, m.span.end);
      const origin = files.get(m.origin.uri)!.slice(m.origin.span.start, m.origin.span.end);
      if (!origin.includes('{{') && !rendered.includes('\n') && !origin.includes('\n') && origin.endsWith(':') === false && /^[\w./-]+$/.test(origin)) {
        assert.equal(rendered.replace(/^["']|["']$/g, ''), origin.replace(/^["']|["']$/g, ''), `${rendered} <= ${origin}`);
      }
    }
  }
  assert.deepEqual(analyse(dir, render).text, []);
});

test('a Service selector value lands on the include line of the template, with the helper line as related', () => {
  const dir = freshChart();
  const { render, files } = renderWithCore(dir);
  const name = path.basename(dir);
  const at = originOf(render, files, 'templates/service.yaml', `app.kubernetes.io/name: |${name}`, 1); // the second: selector (the first is in labels)
  assert.equal(at.file, 'service.yaml');
  assert.equal(at.text, `{{- include "${name}.selectorLabels" . | nindent 4 }}`);
  assert.deepEqual(at.related.map((r) => [r.file, r.text]), [['_helpers.tpl', `app.kubernetes.io/name: {{ include "${name}.name" . }}`]]);
  assert.match(at.related[0]!.message, /helper "web\d+\.selectorLabels"/);
});

test('a named targetPort from values.yaml that no container declares: the finding is on the template line, the values line related', () => {
  const dir = freshChart();
  edit(path.join(dir, 'templates/service.yaml'), 'targetPort: http', 'targetPort: {{ .Values.service.targetPort }}');
  edit(path.join(dir, 'values.yaml'), /^  port: 80$/m, '  port: 80\n  targetPort: web');
  const { render, files } = renderWithCore(dir);
  const at = originOf(render, files, 'templates/service.yaml', 'targetPort: |web');
  assert.deepEqual([at.file, at.text], ['service.yaml', 'targetPort: {{ .Values.service.targetPort }}']);
  assert.deepEqual(at.related.map((r) => [r.file, r.text]), [['values.yaml', 'targetPort: web']]);

  const { text } = analyse(dir, render);
  const svcLine = lineOf(path.join(dir, 'templates/service.yaml'), 'targetPort:');
  const valuesLine = lineOf(path.join(dir, 'values.yaml'), 'targetPort: web');
  assert.ok(text.some((t) => t.startsWith(`templates/service.yaml:${svcLine} target-port-unresolved`) && t.includes(`values.yaml:${valuesLine}`)), text.join('\n'));
});

test('a selector label written in the template that no pod carries: service-selects-nothing on the `selector:` line', () => {
  const dir = freshChart();
  edit(path.join(dir, 'templates/service.yaml'), /^  selector:$/m, '  selector:\n    tier: frontend');
  const { render } = renderWithCore(dir);
  const { text, findings } = analyse(dir, render);
  const line = lineOf(path.join(dir, 'templates/service.yaml'), 'selector:');
  assert.ok(text.some((t) => t.startsWith(`templates/service.yaml:${line} service-selects-nothing`)), text.join('\n'));
  assert.deepEqual(findings.find((f) => f.code === 'service-selects-nothing')!.variants, ['chart']);
});

test('a typo in a helper used by the selector: the label maps to the include line, the helper line is related', () => {
  const dir = freshChart();
  const name = path.basename(dir);
  edit(path.join(dir, 'templates/_helpers.tpl'), /$/, `\n{{- define "${name}.serviceSelector" -}}\napp.kubernetes.io/nmae: {{ include "${name}.name" . }}\n{{- end }}\n`);
  edit(path.join(dir, 'templates/service.yaml'), `{{- include "${name}.selectorLabels" . | nindent 4 }}`, `{{- include "${name}.serviceSelector" . | nindent 4 }}`);
  const { render, files } = renderWithCore(dir);
  const at = originOf(render, files, 'templates/service.yaml', 'app.kubernetes.io/nmae');
  assert.deepEqual([at.file, at.text], ['service.yaml', `{{- include "${name}.serviceSelector" . | nindent 4 }}`]);
  assert.deepEqual(at.related.map((r) => [r.file, r.text]), [['_helpers.tpl', `app.kubernetes.io/nmae: {{ include "${name}.name" . }}`]]);
  const { text } = analyse(dir, render);
  const line = lineOf(path.join(dir, 'templates/service.yaml'), 'selector:');
  assert.ok(text.some((t) => t.startsWith(`templates/service.yaml:${line} service-selects-nothing`)), text.join('\n'));
});

test('range over values: each rendered item maps to the loop line, with the values item it came from', () => {
  const dir = freshChart();
  edit(path.join(dir, 'values.yaml'), /^  port: 80$/m, '  port: 80\n  extraPorts:\n    - name: metrics\n      port: 9090\n    - name: admin\n      port: 9091');
  edit(path.join(dir, 'templates/service.yaml'), /^  selector:$/m, [
    '    {{- range .Values.service.extraPorts }}',
    '    - name: {{ .name }}',
    '      port: {{ .port }}',
    '      targetPort: {{ .name }}',
    '    {{- end }}',
    '  selector:',
  ].join('\n'));
  const { render, files } = renderWithCore(dir);
  const admin = originOf(render, files, 'templates/service.yaml', 'targetPort: admin');
  assert.deepEqual([admin.file, admin.text], ['service.yaml', 'targetPort: {{ .name }}']);
  const value = originOf(render, files, 'templates/service.yaml', 'targetPort: |admin');
  assert.deepEqual(value.related.map((r) => [r.file, r.text]), [['values.yaml', '- name: admin']]);
  const port = originOf(render, files, 'templates/service.yaml', 'port: |9091');
  assert.deepEqual([port.text, port.related.map((r) => r.text)], ['port: {{ .port }}', ['port: 9091']]);
  const { text } = analyse(dir, render);
  const line = lineOf(path.join(dir, 'templates/service.yaml'), 'targetPort: {{ .name }}');
  assert.ok(text.some((t) => t.startsWith(`templates/service.yaml:${line} target-port-unresolved`)), text.join('\n'));
});

test('toYaml of a values block: each field maps to the toYaml line, with its own values line', () => {
  const dir = freshChart();
  const { render, files } = renderWithCore(dir);
  const probePort = originOf(render, files, 'templates/deployment.yaml', 'port: |http', 0);
  assert.deepEqual([probePort.file, probePort.text], ['deployment.yaml', '{{- toYaml . | nindent 12 }}']);
  assert.equal(probePort.line, lineOf(path.join(dir, 'templates/deployment.yaml'), 'livenessProbe:') + 1);
  const values = readTree(dir).get(uriOf(path.join(dir, 'values.yaml')))!;
  const livenessPort = new LineIndex(values).positionAt(values.indexOf('port: http', values.indexOf('livenessProbe:'))).line + 1;
  assert.deepEqual(probePort.related.map((r) => [r.file, r.line, r.message]), [['values.yaml', livenessPort, 'Value of .Values.livenessProbe.httpGet.port (values.yaml)']]);
});

test('if/else branches: a field maps to the branch the values took, with that branch\'s values line', () => {
  const dir = freshChart();
  edit(path.join(dir, 'templates/service.yaml'), '      targetPort: http', [
    '      {{- if .Values.service.tls }}',
    '      targetPort: {{ .Values.service.httpsPortName }}',
    '      {{- else }}',
    '      targetPort: {{ .Values.service.httpPortName }}',
    '      {{- end }}',
  ].join('\n'));
  edit(path.join(dir, 'values.yaml'), /^  port: 80$/m, '  port: 80\n  tls: false\n  httpsPortName: https\n  httpPortName: http');
  const { render, files } = renderWithCore(dir);
  const at = originOf(render, files, 'templates/service.yaml', 'targetPort: |http');
  assert.deepEqual([at.line, at.text], [lineOf(path.join(dir, 'templates/service.yaml'), 'targetPort: {{ .Values.service.httpPortName }}'), 'targetPort: {{ .Values.service.httpPortName }}']);
  assert.deepEqual(at.related.map((r) => r.text), ['httpPortName: http']);
});

test('a template that renders several documents (range with ---): each maps to the loop, findings on the template line with the values item', () => {
  const dir = freshChart();
  write(path.join(dir, 'templates/extra.yaml'), [
    '{{- range .Values.extraServices }}',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: {{ .name }}',
    'spec:',
    '  selector:',
    '    app: {{ .app }}',
    '  ports:',
    '    - port: 80',
    '{{- end }}',
    '',
  ].join('\n'));
  edit(path.join(dir, 'values.yaml'), /$/, '\nextraServices:\n  - name: one\n    app: nope\n  - name: two\n    app: nothing\n');
  const { render, files } = renderWithCore(dir);
  const two = originOf(render, files, 'templates/extra.yaml', 'app: nothing');
  assert.deepEqual([two.file, two.text], ['extra.yaml', 'app: {{ .app }}']);
  const value = originOf(render, files, 'templates/extra.yaml', 'app: |nothing');
  assert.deepEqual(value.related.map((r) => r.text), ['app: nothing']);
  const { text } = analyse(dir, render);
  assert.ok(text.some((t) => t.startsWith('templates/extra.yaml:8 service-selects-nothing')), text.join('\n'));
});

test('a local subchart renders with its parent: its fields map into its own templates, values set by the parent are related', () => {
  const dir = freshChart();
  const sub = helmCreate(path.join(dir, 'charts'), 'backend-dir');
  edit(path.join(sub, 'Chart.yaml'), /^name: backend-dir$/m, 'name: backend');
  edit(path.join(dir, 'values.yaml'), /$/, '\nbackend:\n  service:\n    port: 8080\n');
  const { render, files } = renderWithCore(dir);
  assert.deepEqual(render.problems, []);
  const sources = (render.documents ?? []).map((d) => d.text.split('\n')[0]);
  assert.ok(sources.includes(`# Source: ${path.basename(dir)}/charts/backend/templates/service.yaml`), sources.join('\n'));
  const port = originOf(render, files, 'charts/backend/templates/service.yaml', 'port: |8080');
  assert.deepEqual([port.file, port.text], ['service.yaml', '- port: {{ .Values.service.port }}']);
  assert.equal(port.related[0]!.file, 'values.yaml');
  assert.equal(port.related[0]!.text, 'port: 8080');
  const origin = render.documents!.find((d) => d.text.includes('charts/backend/templates/service.yaml'))!.map[1]!.origin.uri;
  assert.equal(origin, uriOf(path.join(sub, 'templates/service.yaml')));
  // The subchart's own values.yaml holds the default the parent overrides: the parent's line wins.
  assert.ok(port.related[0]!.line === lineOf(path.join(dir, 'values.yaml'), 'port: 8080'));
});

test('a values variant: what its file sets is related to its file, the rest to values.yaml', () => {
  const dir = freshChart();
  const prod = path.join(dir, 'values-prod.yaml');
  write(prod, 'service:\n  port: 8443\n');
  const { render, files } = renderWithCore(dir, { values: prod, name: 'chart:values-prod.yaml' });
  const port = originOf(render, files, 'templates/service.yaml', 'port: |8443');
  assert.deepEqual(port.related.map((r) => [r.file, r.line, r.message]), [['values-prod.yaml', 2, 'Value of .Values.service.port (values-prod.yaml)']]);
  const type = originOf(render, files, 'templates/service.yaml', 'type: |ClusterIP');
  assert.deepEqual(type.related.map((r) => [r.file, r.text]), [['values.yaml', 'type: ClusterIP']]);
});
