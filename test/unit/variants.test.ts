import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../server/src/core/variants/workspace';
import { workspaceDefinition, workspaceHover } from '../../server/src/core/variants/features';
import type { Origin, RenderedDocument, SourceMapping, VariantRender } from '../../server/src/core/render/types';
import { deployment, service } from '../helpers/fixtures';
import { uri } from '../helpers/workspace';

/**
 * The variant layer with a stand-in renderer: each rendered document is a source document with
 * some text replaced; every line maps to its source line, a replacement to where it was written.
 * What is tested is the layer (membership, mapping, merging, dirty files), not a renderer.
 */

const U = uri;

interface Edit {
  readonly find: string;
  readonly replace: string;
  /** Where the replacement was written (a patch line). */
  readonly origin: Origin;
}

function render(variant: string, n: number, sourceUri: string, source: string, edits: readonly Edit[] = []): RenderedDocument {
  let text = '';
  const map: SourceMapping[] = [];
  const lines = source.split('\n');
  let srcOffset = 0;
  for (const line of lines) {
    let out = line;
    const at = text.length;
    const extra: SourceMapping[] = [];
    for (const e of edits) {
      const i = out.indexOf(e.find);
      if (i < 0) continue;
      out = out.slice(0, i) + e.replace + out.slice(i + e.find.length);
      extra.push({ span: { start: at + i, end: at + i + e.replace.length }, origin: e.origin });
    }
    map.push({ span: { start: at, end: at + out.length }, origin: { uri: sourceUri, span: { start: srcOffset, end: srcOffset + line.length } } }, ...extra);
    text += out + '\n';
    srcOffset += line.length + 1;
  }
  map.sort((a, b) => a.span.start - b.span.start);
  return { uri: `kube-traffic-render:/${variant}/${n}`, text, map };
}

function variant(name: string, documents: RenderedDocument[], inputs: string[], problems: VariantRender['problems'] = []): VariantRender {
  return { name, documents, problems, inputs: new Set(inputs) };
}

const svcText = service('web', { app: 'web' }, { ns: 'shop' });
const podsText = deployment('web', { app: 'web' }, { ns: 'shop' });
const patchText = 'spec:\n  template:\n    metadata:\n      labels:\n        app: web-canary\n';
const patchLabel = { uri: U('overlays/prod/patch.yaml'), span: { start: patchText.indexOf('web-canary'), end: patchText.indexOf('web-canary') + 'web-canary'.length } };

function setup() {
  const ws = new Workspace();
  ws.updateFile(U('base/svc.yaml'), 1, svcText);
  ws.updateFile(U('base/pods.yaml'), 1, podsText);
  ws.updateFile(U('overlays/prod/patch.yaml'), 1, patchText);
  const members = new Set([U('base/svc.yaml'), U('base/pods.yaml'), U('overlays/prod/patch.yaml')]);
  // prod: the patch relabels the pods, so the Service selects nothing there; staging is the base.
  ws.setVariant(variant('overlays/prod', [
    render('overlays/prod', 0, U('base/svc.yaml'), svcText),
    render('overlays/prod', 1, U('base/pods.yaml'), podsText, [{ find: 'app: web', replace: 'app: web-canary', origin: patchLabel }]),
  ], [...members]), members);
  ws.setVariant(variant('overlays/staging', [
    render('overlays/staging', 0, U('base/svc.yaml'), svcText),
    render('overlays/staging', 1, U('base/pods.yaml'), podsText),
  ], [U('base/svc.yaml'), U('base/pods.yaml')]), new Set([U('base/svc.yaml'), U('base/pods.yaml')]));
  for (const uri of ws.takeDirty()) ws.findings(uri);
  return ws;
}

test('a finding that holds in one variant lands on the base line, names that variant, and the other stays quiet', () => {
  const ws = setup();
  const f = ws.findings(U('base/svc.yaml'));
  assert.deepEqual(f.map((x) => [x.code, x.variants]), [['service-selects-nothing', ['overlays/prod']]]);
  // On the Service's `selector` key, as in the plain view, but in the base file.
  assert.equal(svcText.split('\n')[f[0]!.range.start.line]!.trim(), 'selector:');
  // The nearest miss is the relabelled pod template: related information points at the patch line.
  assert.ok(f[0]!.related.some((r) => r.uri === U('overlays/prod/patch.yaml')), JSON.stringify(f[0]!.related));
  assert.match(f[0]!.message, /app=web-canary/);
  // Files are named as people wrote them, not by a rendered document's name.
  assert.match(f[0]!.message, /in pods\.yaml/);
});

test('members of variants are not analysed in the plain view; the same finding in two variants is one, naming both', () => {
  const ws = new Workspace();
  ws.updateFile(U('base/svc.yaml'), 1, svcText);
  // Plain view: a Service selecting nothing.
  assert.deepEqual(ws.findings(U('base/svc.yaml')).map((x) => x.code), ['service-selects-nothing']);
  const members = new Set([U('base/svc.yaml')]);
  ws.setVariant(variant('a', [render('a', 0, U('base/svc.yaml'), svcText)], [...members]), members);
  ws.setVariant(variant('b', [render('b', 0, U('base/svc.yaml'), svcText)], [...members]), members);
  const f = ws.findings(U('base/svc.yaml'));
  assert.deepEqual(f.map((x) => [x.code, x.variants]), [['service-selects-nothing', ['a', 'b']]]);
  ws.removeVariant('a');
  ws.removeVariant('b');
  assert.deepEqual(ws.findings(U('base/svc.yaml')).map((x) => [x.code, x.variants]), [['service-selects-nothing', undefined]]);
});

test('variants see the plain files and not each other; an edit to a plain file re-checks the base files it affects', () => {
  const ws = new Workspace();
  ws.updateFile(U('base/svc.yaml'), 1, svcText);
  const members = new Set([U('base/svc.yaml')]);
  ws.setVariant(variant('prod', [render('prod', 0, U('base/svc.yaml'), svcText)], [...members]), members);
  ws.setVariant(variant('other', [render('other', 0, U('base/svc.yaml'), svcText)], [...members]), members);
  for (const uri of ws.takeDirty()) ws.findings(uri);
  assert.deepEqual(ws.findings(U('base/svc.yaml')).map((x) => x.variants), [['other', 'prod']]);
  // A plain Deployment that both clusters see.
  ws.updateFile(U('shared/pods.yaml'), 1, podsText);
  assert.ok(ws.takeDirty().has(U('base/svc.yaml')));
  assert.deepEqual(ws.findings(U('base/svc.yaml')), []);
});

test('render problems are findings of their own file, with the variant; a replaced render re-checks its files', () => {
  const ws = setup();
  const problem = { code: 'yaml-syntax', uri: U('overlays/prod/patch.yaml'), span: { start: 0, end: 4 }, message: 'a render problem' };
  const before = ws.variant('overlays/prod')!.render;
  ws.setVariant({ ...before, problems: [problem] }, ws.variant('overlays/prod')!.members);
  const dirty = ws.takeDirty();
  assert.ok(dirty.has(U('overlays/prod/patch.yaml')) && dirty.has(U('base/svc.yaml')), [...dirty].join(', '));
  assert.deepEqual(ws.findings(U('overlays/prod/patch.yaml')).map((x) => [x.code, x.message, x.variants]), [['yaml-syntax', 'a render problem', ['overlays/prod']]]);
});

test('where the variants\' messages differ, the first variant\'s message says how many others share the problem', () => {
  const ws = new Workspace();
  const other = service('web', { app: 'api' }, { ns: 'shop' });
  ws.updateFile(U('base/svc.yaml'), 1, svcText);
  const members = new Set([U('base/svc.yaml')]);
  ws.setVariant(variant('a', [render('a', 0, U('base/svc.yaml'), svcText)], [...members]), members);
  // b renders the selector differently (a patch), so its message names another label.
  ws.setVariant(variant('b', [render('b', 0, U('base/svc.yaml'), svcText, [{ find: 'app: web', replace: 'app: api', origin: { uri: U('base/svc.yaml'), span: { start: svcText.indexOf('app: web'), end: svcText.indexOf('app: web') + 8 } } }])], [...members]), members);
  void other;
  const f = ws.findings(U('base/svc.yaml')).filter((x) => x.code === 'service-selects-nothing');
  assert.equal(f.length, 1);
  assert.deepEqual(f[0]!.variants, ['a', 'b']);
  assert.match(f[0]!.message, /app=web/);
  assert.match(f[0]!.message, /same problem holds in 1 other variant/);
});

test('hover on a base line answers for each variant; definition from a base selector goes to the pod labels it matches there', () => {
  const ws = setup();
  const line = svcText.split('\n').findIndex((l) => l.trim() === 'app: web');
  const h = workspaceHover(ws, U('base/svc.yaml'), { line, character: 5 })!;
  assert.match(h.contents, /In `overlays\/prod`/);
  assert.match(h.contents, /In `overlays\/staging`/);
  // prod: nothing matches; staging: the Deployment.
  const sections = h.contents.split('---');
  assert.match(sections.find((s) => s.includes('overlays/prod'))!, /matches no pod template/);
  assert.match(sections.find((s) => s.includes('overlays/staging'))!, /matches 1 workload/);
  const defs = workspaceDefinition(ws, U('base/svc.yaml'), { line, character: 5 });
  // Only staging's Deployment matches, at the base file's template label.
  assert.deepEqual(defs.map((d) => [d.uri, podsText.split('\n')[d.range.start.line]!.trim()]), [[U('base/pods.yaml'), 'app: web']]);
});
