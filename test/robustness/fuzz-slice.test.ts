/**
 * A small, seeded slice of `npm run fuzz` (scripts/fuzz): 300 mutations of corpus files and
 * documents, and every line prefix of 10 small corpus manifests, with the fuzzer's invariants: no
 * exception escapes the core or its features, every diagnostic is well-formed (known code,
 * severity, ranges inside their documents), no document is silently dropped, no call over 2 s.
 * Deterministic: the same seed gives the same inputs (checked too).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/core/analyzer';
import {
  Contexts, Rng, analyseText, caseSeed, loadCorpus, makeMutationCase, prefixOffsets, runMutationCase, type Violation,
} from '../../scripts/fuzz/lib';

const SEED = 20240611;
/** Small projects with Services, workloads, Ingresses, routes and kustomizations. */
const PROJECTS = ['dockersamples__example-voting-app', 'GoogleCloudPlatform__microservices-demo', 'BuoyantIO__emojivoto', 'kubernetes__website',
  'stefanprodan__podinfo', 'Azure-Samples__aks-store-demo', 'kubernetes__examples', 'kubernetes-sigs__gateway-api', 'fluxcd__flux2-kustomize-helm-example',
  'kubernetes__ingress-nginx'];
const corpus = loadCorpus(undefined, PROJECTS);

function describeViolations(label: string, vs: readonly Violation[]): string {
  return `${label}\n${vs.map((v) => `  ${v.kind} ${v.where}: ${v.message}${v.stack ? `\n    ${v.stack.split('\n').slice(1, 4).join('\n    ')}` : ''}`).join('\n')}`;
}

test('the fuzz corpus slice is there', () => {
  assert.ok(corpus.files.length > 300, `${corpus.files.length} files`);
});

test('mutations are reproducible from the seed', () => {
  for (const i of [0, 17, 299]) {
    const a = makeMutationCase(corpus, SEED, i);
    const b = makeMutationCase(corpus, SEED, i);
    assert.equal(a.text, b.text);
    assert.deepEqual(a.applied, b.applied);
  }
  assert.notEqual(makeMutationCase(corpus, SEED, 1).text, makeMutationCase(corpus, SEED + 1, 1).text);
});

test('300 seeded mutations (byte flips, deleted/duplicated lines, indentation, type swaps, nulls, aliases, …): invariants hold', () => {
  const ctx = new Contexts(corpus);
  const failures: string[] = [];
  let maxMs = 0;
  let maxLabel = '';
  for (let i = 0; i < 300; i++) {
    const c = makeMutationCase(corpus, SEED, i);
    const label = `mutation #${i} (npm run fuzz -- --seed ${SEED} --only ${i} --projects ${PROJECTS.join(',')}): ${c.file.rel} ${c.applied.map((m) => `${m.op}(${m.detail})`).join(' + ')}, skipBodies ${c.skipBodies}`;
    const r = runMutationCase(ctx, c, { graph: i % 50 === 0 });
    if (r.timing.maxMs > maxMs) { maxMs = r.timing.maxMs; maxLabel = `${r.timing.maxCall} on ${label}`; }
    if (r.violations.length) failures.push(describeViolations(label, r.violations));
  }
  process.stdout.write(`fuzz slice: 300 mutations, slowest call ${maxMs.toFixed(0)} ms (${maxLabel.slice(0, 200)})\n`);
  assert.deepEqual(failures, []);
});

test('every line prefix of 10 small corpus manifests, typed in their folder (both parse modes): invariants hold', () => {
  const rng = new Rng(caseSeed(SEED, -1));
  const candidates = corpus.files.filter((f) => f.text.length >= 800 && f.text.length <= 6000 && /kind:\s*(Service|Ingress|HTTPRoute)\b/.test(f.text));
  const chosen = new Set<number>();
  while (chosen.size < Math.min(10, candidates.length)) chosen.add(rng.int(candidates.length));
  const failures: string[] = [];
  let prefixes = 0;
  for (const k of [...chosen].sort((a, b) => a - b)) {
    const file = candidates[k]!;
    for (const skipBodies of [true, false]) {
      const a = new Analyzer({}, { skipBodies });
      for (const f of corpus.files) if (f.project === file.project && f.path.startsWith(file.path.slice(0, file.path.lastIndexOf('/') + 1))) a.updateFile(f.uri, 0, f.text);
      let version = 1;
      for (const off of prefixOffsets(file.text, 'lines')) {
        prefixes++;
        const r = analyseText(a, file.uri, ++version, file.text.slice(0, off), new Rng(off), { positions: 2, dirty: true });
        if (r.violations.length) failures.push(describeViolations(`prefix ${file.rel}@${off} (npm run fuzz -- --only-prefix ${file.rel}@${off}), skipBodies ${skipBodies}`, r.violations));
      }
    }
  }
  process.stdout.write(`fuzz slice: ${prefixes} line prefixes of ${chosen.size} files\n`);
  assert.ok(prefixes > 200);
  assert.deepEqual(failures, []);
});
