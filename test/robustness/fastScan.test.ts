/**
 * The fast scanner (server/src/core/parse/scan) is proven equal to the full parse: for every
 * document it takes, analyzeDocument's result (problems, every resource with every field and
 * span, patchRefs, partial, templateAt) is deep-equal to the one the `yaml` package path gives,
 * with skipBodies on and off. Inputs: every document of ../shared/corpus, ../shared/seed-examples
 * and examples/, a seeded sample of the fuzzer's mutations (scripts/fuzz), line prefixes as when
 * typing, hand-written edge cases, and a seeded mutator aimed at what the scanner decides itself
 * (fastScanInputs.ts). Documents it refuses take the full parse, so they are equal by construction;
 * the test also checks that it does take the ordinary ones (the fractions are printed).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Rng, caseSeed, loadCorpus, makeMutationCase, prefixOffsets } from '../../scripts/fuzz/lib';
import { splitDocuments } from '../../server/src/core/parse/documents';
import { analyzeDocument, buildFileModel } from '../../server/src/core/model/fileModel';
import { scanModel } from '../../server/src/core/model/fastModel';
import { KIND_CATALOG } from '../../server/src/core/kinds/registry';
import { EDGE_DOCUMENTS, mutateEdges } from './fastScanInputs';

const ROOT = path.resolve(__dirname, '../..');
const SEED = 20261202;

interface Tally { docs: number; fast: number; bytes: number; fastBytes: number }
const tally = (): Tally => ({ docs: 0, fast: 0, bytes: 0, fastBytes: 0 });

/**
 * Compares both paths on one document; true when the fast path took it. A document the scanner
 * takes is read whole even with skipBodies (it checks the body as fast as the identity-only path
 * skips it), so both its results equal the full parse's; one it refuses may still have its
 * identity skeleton scanned, which must equal the skeleton's full parse.
 */
function checkDocument(text: string, label: string, t: Tally): boolean {
  t.docs++;
  t.bytes += text.length;
  const at = `${label}\n${JSON.stringify(text.slice(0, 400))}`;
  if (!scanModel(text, KIND_CATALOG)) {
    const slowSkip = analyzeDocument(text, { skipBodies: true, catalog: KIND_CATALOG, fastScan: false });
    if (slowSkip.partial) assert.deepStrictEqual(analyzeDocument(text, { skipBodies: true, catalog: KIND_CATALOG, fastScan: true }), slowSkip, `skeleton of ${at}`);
    return false;
  }
  t.fast++;
  t.fastBytes += text.length;
  const slow = analyzeDocument(text, { skipBodies: false, catalog: KIND_CATALOG, fastScan: false });
  assert.deepStrictEqual(analyzeDocument(text, { skipBodies: false, catalog: KIND_CATALOG, fastScan: true }), slow, `fast path differs from the full parse: ${at}`);
  assert.deepStrictEqual(analyzeDocument(text, { skipBodies: true, catalog: KIND_CATALOG, fastScan: true }), slow, `fast path with skipBodies differs from the full parse: ${at}`);
  return true;
}

function report(t: TestContext, what: string, x: Tally): void {
  t.diagnostic(`${what}: ${x.fast} of ${x.docs} documents took the fast path (${pct(x.fast, x.docs)}), ${pct(x.fastBytes, x.bytes)} of ${(x.bytes / 1048576).toFixed(1)} MB`);
}
const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) walk(p);
      else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const corpus = loadCorpus();

test('every document of the corpus: the fast path equals the full parse', (t) => {
  const x = tally();
  for (const f of corpus.files) {
    for (const d of splitDocuments(f.text)) checkDocument(d.text, `${f.rel}@${d.start}`, x);
  }
  report(t, 'corpus', x);
  assert.ok(x.fast / x.docs > 0.9, `only ${pct(x.fast, x.docs)} of the corpus's documents took the fast path`);
  assert.ok(x.fastBytes / x.bytes > 0.9, `only ${pct(x.fastBytes, x.bytes)} of the corpus's bytes took the fast path`);
});

test('every document of the seed examples and examples/: equal', (t) => {
  const x = tally();
  for (const file of [...yamlFiles(path.resolve(ROOT, '../shared/seed-examples')), ...yamlFiles(path.join(ROOT, 'examples'))]) {
    const text = fs.readFileSync(file, 'utf8');
    for (const d of splitDocuments(text)) checkDocument(d.text, `${path.relative(ROOT, file)}@${d.start}`, x);
  }
  report(t, 'seed examples and examples/', x);
  assert.ok(x.docs > 30 && x.fast / x.docs > 0.8, `${x.fast} of ${x.docs}`);
});

test('hand-written edge cases: equal, and the ordinary ones take the fast path', (t) => {
  const x = tally();
  const fast = EDGE_DOCUMENTS.map((d, i) => checkDocument(d, `edge case #${i}`, x));
  report(t, 'edge cases', x);
  // Block style with CRLF, a BOM, markers, comments at every indentation, empty values, numbers, quoted keys.
  for (const i of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 28, 30]) assert.ok(fast[i], `edge case #${i} should take the fast path: ${JSON.stringify(EDGE_DOCUMENTS[i]!.slice(0, 80))}`);
  // Duplicate keys, anchors and aliases, tags, merge keys, tabs, `//` lines, templates, bad escapes: the full parser.
  for (const i of [13, 14, 15, 16, 17, 18, 19, 20]) assert.ok(!fast[i], `edge case #${i} must be left to the full parser`);
});

test('3,000 seeded edge mutations of corpus documents (comments, blank lines, empty values, scalars, keys, CRLF, markers, block scalars): equal', (t) => {
  const x = tally();
  const units = corpus.units.filter((u) => !u.whole || corpus.files[u.file]!.text.length < 30000);
  for (let i = 0; i < 3000; i++) {
    const rng = new Rng(caseSeed(SEED, i));
    const u = rng.pick(units);
    const f = corpus.files[u.file]!;
    for (const s of splitDocuments(f.text.slice(u.start, u.end))) {
      if (s.text.length > 40000) continue;
      const m = mutateEdges(s.text, rng);
      checkDocument(m.text, `edge mutation #${i} of ${f.rel}@${u.start + s.start}: ${m.applied.join(' + ')}`, x);
    }
  }
  report(t, 'edge mutations', x);
  assert.ok(x.fast > x.docs / 4, `${x.fast} of ${x.docs}`);
});

test('1,000 seeded mutations of the fuzzer (scripts/fuzz) and line prefixes as when typing: equal', (t) => {
  const x = tally();
  for (let i = 0; i < 1000; i++) {
    const c = makeMutationCase(corpus, SEED, i);
    const unitEnd = c.unit.end + (c.text.length - c.file.text.length);
    for (const d of splitDocuments(c.text.slice(c.unit.start, Math.max(c.unit.start, unitEnd)))) {
      checkDocument(d.text, `fuzz mutation #${i} (npm run fuzz -- --seed ${SEED} --only ${i}): ${c.file.rel} ${c.applied.map((m) => m.op).join(' + ')}`, x);
    }
  }
  const small = corpus.files.filter((f) => f.text.length > 1000 && f.text.length < 6000);
  const rng = new Rng(SEED);
  for (let k = 0; k < 12; k++) {
    const f = rng.pick(small);
    for (const end of prefixOffsets(f.text, 'lines')) {
      for (const d of splitDocuments(f.text.slice(0, end))) checkDocument(d.text, `prefix of ${f.rel} to ${end}`, x);
    }
  }
  report(t, 'fuzz mutations and prefixes', x);
});

test('a file model built with the scanner is the one the full parse builds (offsets in the file, several documents)', () => {
  for (const f of corpus.files.filter((_, i) => i % 25 === 0)) {
    const slow = buildFileModel(f.uri, 1, f.text, undefined, { skipBodies: false, catalog: KIND_CATALOG, fastScan: false });
    const fast = buildFileModel(f.uri, 1, f.text, undefined, { skipBodies: false, catalog: KIND_CATALOG, fastScan: true });
    assert.deepStrictEqual(fast.resources, slow.resources, f.rel);
    assert.deepStrictEqual(fast.parsed.problems, slow.parsed.problems, f.rel);
    assert.deepStrictEqual(fast.patchRefs, slow.patchRefs, f.rel);
  }
});
