import { test } from 'node:test';
import assert from 'node:assert/strict';
import { peekKind, skeleton, splitDocuments } from '../../server/src/core/parse/documents';
import { buildFileModel } from '../../server/src/core/model/fileModel';
import { KIND_CATALOG } from '../../server/src/core/kinds/registry';
import { Analyzer } from '../../server/src/core/analyzer';

test('splitDocuments cuts at --- and after ... lines, keeping directives with their document', () => {
  const text = 'a: 1\n---\nb: 2\n...\n%YAML 1.2\n---\nc: 3\n--- |\n  literal\n---\n';
  const slices = splitDocuments(text);
  assert.deepEqual(slices.map((s) => s.text), ['a: 1\n', '---\nb: 2\n...\n', '%YAML 1.2\n---\nc: 3\n', '--- |\n  literal\n', '---\n']);
  assert.equal(slices.map((s) => s.text).join(''), text, 'slices cover the text exactly');
  for (const s of slices) assert.equal(text.slice(s.start, s.end), s.text);
});

test('splitDocuments: a leading --- does not make an empty first document; ---x is not a marker', () => {
  assert.deepEqual(splitDocuments('# c\n---\na: 1\n').map((s) => s.text), ['# c\n---\na: 1\n']);
  assert.deepEqual(splitDocuments('a: ---x\n---x: 1\n').map((s) => s.text), ['a: ---x\n---x: 1\n']);
  assert.deepEqual(splitDocuments('').map((s) => s.text), ['']);
});

test('peekKind reads the top-level kind only', () => {
  assert.equal(peekKind('apiVersion: v1\nkind: "Service" # x\n'), 'Service');
  assert.equal(peekKind('spec:\n  kind: Nested\n'), undefined);
});

test('skeleton keeps identity blocks at their offsets and drops or blanks the rest', () => {
  const doc = 'apiVersion: apiextensions.k8s.io/v1\nspec:\n  huge: [1, 2]\nkind: CustomResourceDefinition\nmetadata:\n  name: x\nstatus:\n  a: 1\n';
  const sk = skeleton(doc, new Set(['apiVersion', 'kind', 'metadata']))!;
  assert.equal(sk.indexOf('kind: CustomResourceDefinition'), doc.indexOf('kind: CustomResourceDefinition'));
  assert.ok(sk.startsWith('apiVersion: apiextensions.k8s.io/v1\nspec:'));
  assert.ok(!sk.includes('huge'));
  assert.ok(sk.endsWith('status:'), JSON.stringify(sk.slice(-20)));
  assert.equal(skeleton('{apiVersion: v1, kind: X}', new Set(['kind'])), undefined, 'flow style is parsed whole');
});

const bigCrd = (n: number, bad = false) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.example.com
  labels:
    app: things
spec:
  versions:
${Array.from({ length: n }, (_, i) => `    - name: v${i}\n      schema:\n        description: ${bad && i === n - 1 ? '"unclosed' : `field ${i}`}`).join('\n')}
`;

test('large documents of kinds no rule reads are indexed by identity, then completed for syntax', () => {
  const text = `${bigCrd(800, true)}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n`;
  const a = new Analyzer({}, { skipBodies: true });
  a.updateFile('file:///ws/crd.yaml', 1, text);
  const entry = a.index.file('file:///ws/crd.yaml')!;
  assert.equal(entry.partial, true);
  assert.deepEqual(entry.resources.map((r) => `${r.kind}/${r.name}`), ['CustomResourceDefinition/things.example.com', 'Service/web']);
  assert.equal(entry.resources[0]!.labels[0]!.key, 'app', 'metadata is read');
  assert.ok(!a.findings('file:///ws/crd.yaml').some((f) => f.code === 'yaml-syntax'), 'the body is not parsed yet');
  assert.equal(a.completeFile('file:///ws/crd.yaml'), true);
  assert.ok(a.findings('file:///ws/crd.yaml').some((f) => f.code === 'yaml-syntax'), 'completion reports the unclosed quote');
  // Without skipping (the CLI), the error is there at once.
  const full = new Analyzer();
  full.updateFile('file:///ws/crd.yaml', 1, text);
  assert.equal(full.index.file('file:///ws/crd.yaml')!.partial, false);
  assert.ok(full.findings('file:///ws/crd.yaml').some((f) => f.code === 'yaml-syntax'));
});

test('an edit re-parses only the documents it touches; the others are reused and moved', () => {
  const docs = Array.from({ length: 5 }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  ports: [{port: 80}]\n`);
  const text = docs.join('---\n');
  const m1 = buildFileModel('file:///ws/a.yaml', 1, text, undefined, { skipBodies: false, catalog: KIND_CATALOG });
  const edited = text.replace('name: s2', 'name: s2-renamed');
  const m2 = buildFileModel('file:///ws/a.yaml', 2, edited, m1, { skipBodies: false, catalog: KIND_CATALOG });
  const reused = m2.slices.filter((s, i) => s.result === m1.slices[i]!.result).length;
  assert.equal(reused, 4);
  assert.deepEqual(m2.resources.map((r) => r.name), ['s0', 's1', 's2-renamed', 's3', 's4']);
  // Spans of the later, reused documents moved with the edit.
  const s3 = m2.resources[3]!;
  assert.equal(edited.slice(s3.nameRef!.span.start, s3.nameRef!.span.end), 's3');
  assert.equal(m2.resources[3]!.docIndex, 3);
});
