import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/core/rules/catalogue';
import { ruleAnchor, ruleSections } from '../../server/src/core/rules/ruleDocs';
import { analyze } from '../helpers/workspace';

const docs = readFileSync(path.resolve(__dirname, '../../docs/rules.md'), 'utf8');
const spec = readFileSync(path.resolve(__dirname, '../../../shared/spec/rules.md'), 'utf8');

test('every code of the catalogue has a section in docs/rules.md', () => {
  const headings = new Set([...docs.matchAll(/^## ([a-z0-9-]+)$/gm)].map((m) => m[1]));
  assert.deepEqual(RULES.map((r) => r.code).filter((c) => !headings.has(c)), []);
});

test('every code of the shared spec is implemented with the spec\'s severity', () => {
  const rows = [...spec.matchAll(/^\| ([a-z0-9-]+) \| ([a-z /]+) \|/gm)].filter((m) => m[1] !== 'code');
  assert.ok(rows.length >= 37);
  const byCode = new Map(RULES.map((r) => [r.code, r.severity]));
  for (const [, code, sev] of rows) {
    assert.ok(byCode.has(code!), `${code} is implemented`);
    // "error / warning" rows have a per-case severity; the first is not necessarily the default.
    if (!sev!.includes('/')) assert.equal(byCode.get(code!), sev!.trim(), code);
  }
});

test('each rule has one stable anchor in docs/rules.md: a `## <code>` heading no other heading collides with', () => {
  // GitHub's and VS Code's Markdown preview's anchor for a heading: lower case, punctuation dropped, spaces → '-'.
  const slug = (h: string) => h.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
  const headings: string[] = [];
  let fence = false;
  for (const line of docs.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    else if (!fence && /^#{1,6} /.test(line)) headings.push(line.replace(/^#+ /, ''));
  }
  const anchors = headings.map(slug);
  for (const { code } of RULES) {
    assert.equal(ruleAnchor(code), code);
    assert.equal(anchors.filter((a) => a === code).length, 1, `exactly one heading has the anchor #${code}`);
    assert.ok(headings.includes(code), `the heading of ${code} is the code itself`);
  }
});

test('ruleSections gives each code its own section, and no YAML comment in an example is taken for a heading', () => {
  const sections = ruleSections(docs);
  assert.deepEqual([...sections.keys()].sort(), RULES.map((r) => r.code).sort());
  for (const [code, body] of sections) {
    assert.match(body, /What it means/, `${code}: its section`);
    assert.doesNotMatch(body, /^## /m, `${code}: ends before the next rule`);
  }
  // node-port-conflict's example has `# nodeport_sample.yml` lines inside a fenced block.
  assert.match(sections.get('node-port-conflict')!, /# nodeport_duplicate\.yml/);
  const tiny = ruleSections('# Parse\n\n## a-rule\nText\n```yaml\n# not a heading\n## nor this\n```\nmore\n# Next\n## b\nB');
  assert.deepEqual([...tiny.entries()], [['a-rule', 'Text\n```yaml\n# not a heading\n## nor this\n```\nmore'], ['b', 'B']]);
});

/**
 * Examples that only illustrate: they need resources the example does not show (the Deployment a
 * targetPort misses, the Service a ServiceMonitor selects), or mark the neighbouring line.
 */
const ILLUSTRATIVE = new Set([
  'headless-type-conflict', 'workload-selector-mismatch', 'target-port-undeclared', 'route-service-port-missing',
  'statefulset-service-not-headless', 'network-policy-peer-selects-nothing', 'network-policy-port-undeclared', 'service-monitor-port-missing',
]);

test('each example of docs/rules.md produces its code on the line it marks (`# <- code`)', () => {
  const sections = docs.split(/^## /m).slice(1);
  const failures: string[] = [];
  let checked = 0;
  for (const section of sections) {
    const code = section.slice(0, section.indexOf('\n')).trim();
    const rule = RULES.find((r) => r.code === code);
    // A renderer's examples span several files (a kustomization and its base); the renderer's own
    // tests check each of their codes at its line.
    if (!rule || ILLUSTRATIVE.has(code) || rule.category === 'kustomize' || rule.category === 'render') continue;
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    if (!example) continue;
    const lines = example.split('\n');
    const marked = lines.flatMap((l, i) => (new RegExp(`# <- ${code}(\\b|:|$)`).test(l) ? [i] : []));
    if (marked.length === 0) continue;
    const found = analyze({ 'example.yaml': example }).findings.filter((f) => f.code === code).map((f) => f.range.start.line);
    for (const line of marked) if (!found.includes(line)) failures.push(`${code}: line ${line + 1} (${lines[line]!.trim()}) reported at ${JSON.stringify(found.map((l) => l + 1))}`);
    checked++;
  }
  assert.deepEqual(failures, []);
  assert.ok(checked >= 25, `only ${checked} examples checked`);
});
