import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { SHARED, analyzeFolder, type FsFinding } from '../helpers/disk';

const CORPUS = path.join(SHARED, 'corpus');
const projects = readdirSync(CORPUS).filter((p) => statSync(path.join(CORPUS, p)).isDirectory()).sort();
const results = new Map<string, FsFinding[]>();

/** Files kept apart as templated negative cases live under a `helm/` folder of each project. */
const templated = (file: string) => file.startsWith('helm/') || file.includes('/helm/');

test('the corpus has its 25 projects', () => {
  assert.equal(projects.length, 25);
});

for (const project of projects) {
  test(`corpus ${project}: analyses without crashing, no yaml-syntax outside templated files`, async () => {
    const { findings, analyzer } = await analyzeFolder(path.join(CORPUS, project));
    results.set(project, findings);
    assert.ok(analyzer.index.fileCount > 0);
    const syntax = findings.filter((f) => f.code === 'yaml-syntax' && !templated(f.file));
    assert.deepEqual(syntax.map((f) => `${f.file}:${f.range.start.line + 1} ${f.message}`), []);
    // Every range lies inside its file.
    for (const f of findings) {
      assert.ok(f.range.start.line <= f.range.end.line, `${f.file}: range ends before it starts`);
      assert.ok(f.range.start.line >= 0 && f.range.start.character >= 0);
    }
  });
}

test('corpus: templated files get exactly one template-skipped and nothing else', () => {
  for (const [project, findings] of results) {
    const byFile = new Map<string, FsFinding[]>();
    for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    for (const [file, list] of byFile) {
      if (!list.some((f) => f.code === 'template-skipped')) continue;
      assert.deepEqual(list.map((f) => f.code), ['template-skipped'], `${project}/${file}`);
    }
  }
});

test('corpus: kustomize patch files are not analysed as whole objects', () => {
  const emojivoto = results.get('BuoyantIO__emojivoto') ?? [];
  assert.deepEqual(emojivoto.filter((f) => f.file === 'kustomize/statefulset/service-name.yml'), []);
  const gke = results.get('GoogleCloudPlatform__kubernetes-engine-samples') ?? [];
  assert.deepEqual(gke.filter((f) => f.file.endsWith('service-type.yaml')), []);
});

test('corpus: multi-line quoted scalars that kubectl accepts are not YAML errors', () => {
  const dashboard = results.get('kubernetes__dashboard') ?? [];
  assert.deepEqual(dashboard.filter((f) => f.file.endsWith('init-container-error-pod.yaml')), []);
});

test('corpus: Services next to operator custom resources are information, not warnings', () => {
  const prom = (results.get('prometheus-operator__prometheus-operator') ?? []).filter((f) => f.code === 'service-selects-nothing');
  assert.ok(prom.length > 0);
  for (const f of prom) assert.equal(f.severity, 'information', f.message);
});

test('corpus: per-code finding counts (printed so noise is visible)', () => {
  const total = new Map<string, number>();
  const lines: string[] = [];
  for (const [project, findings] of results) {
    const counts = new Map<string, number>();
    for (const f of findings) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
    for (const [c, n] of counts) total.set(c, (total.get(c) ?? 0) + n);
    lines.push(`  ${project}: ${[...counts].sort().map(([c, n]) => `${c}=${n}`).join(' ') || 'clean'}`);
  }
  const sorted = [...total].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  console.log(`corpus findings by code:\n${sorted.map(([c, n]) => `  ${c}: ${n}`).join('\n')}\nper project:\n${lines.join('\n')}`);
  assert.equal(results.size, projects.length);
});
