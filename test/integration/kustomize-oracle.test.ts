import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KustomizeEngine, type KustomizeRender } from '../../server/src/core/kustomize';
import { DiskFiles, dirUri } from '../helpers/kustomizeFs';
import { compareObjects, engineCause, kustomizeCause, renderedObjects, runKustomize, type KustomizeRun } from '../helpers/kustomizeOracle';
import { oracleBinaries } from '../helpers/oracle';
import { CASES } from './kustomize-cases';

/**
 * The differential test: the native kustomize against the real one (`kubectl kustomize`, kustomize
 * v5.4.2, from oracle/). For every root, either both build and the fields the rules read are equal
 * object by object (generated ConfigMaps/Secrets, which the engine does not render, excepted), or
 * both fail for the same cause.
 */

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

interface Outcome {
  readonly name: string;
  readonly verdict: string;
  readonly problem?: string;
}

function judge(name: string, ours: KustomizeRender, theirs: KustomizeRun, generators: boolean): Outcome {
  if (!theirs.ok) {
    const cause = kustomizeCause(theirs.error);
    const mine = engineCause(ours);
    if (ours.documents !== undefined) return { name, verdict: `fails (${cause})`, problem: `kustomize fails (${theirs.error}) but the engine renders` };
    if (cause === 'other') return { name, verdict: 'fails (other)', problem: `kustomize fails for a cause the test does not classify: ${theirs.error}` };
    if (mine !== cause) {
      return { name, verdict: `fails (${cause})`, problem: `kustomize fails for ${cause} (${theirs.error}), the engine for ${mine}: ${ours.problems.map((p) => p.message).join(' | ')}` };
    }
    // A missing file: the engine names the same one.
    const missing = [...theirs.error.matchAll(/lstat ([^:' ]+): no such file/g)].pop()?.[1];
    if (cause === 'missing' && missing && !ours.problems.some((p) => p.message.includes(path.basename(missing)))) {
      return { name, verdict: `fails (${cause})`, problem: `kustomize misses ${missing}, the engine says: ${ours.problems.map((p) => p.message).join(' | ')}` };
    }
    return { name, verdict: `fails (${cause})` };
  }
  if (ours.documents === undefined) {
    return { name, verdict: 'builds', problem: `kustomize builds, the engine fails: ${ours.problems.map((p) => `${p.code}: ${p.message}`).join(' | ')}` };
  }
  const c = compareObjects(renderedObjects(ours), theirs.objects, generators);
  if (c.compared === 0 && theirs.objects.length > 0) return { name, verdict: 'builds', problem: 'nothing compared' };
  const detail = `${c.compared} objects, ${c.identical} identical in every field${c.excluded.length > 0 ? `, ${c.excluded.length} generated excluded` : ''}`;
  return c.mismatches.length > 0 ? { name, verdict: 'builds', problem: c.mismatches.join('\n  ') } : { name, verdict: `builds (${detail})` };
}

function report(title: string, outcomes: readonly Outcome[]): void {
  const counts = new Map<string, number>();
  let objects = 0;
  let identical = 0;
  for (const o of outcomes) {
    const key = o.verdict.replace(/ \(\d+ objects.*\)$/, '');
    const m = /\((\d+) objects, (\d+) identical/.exec(o.verdict);
    if (m) {
      objects += Number(m[1]);
      identical += Number(m[2]);
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  console.log(`${title}: ${outcomes.length} roots; ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}; ${objects} objects compared, ${identical} identical in every field`);
  for (const o of outcomes) console.log(`  ${o.problem ? 'MISMATCH' : 'ok'} ${o.name}: ${o.verdict}`);
}

function kustomizationFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) kustomizationFiles(p, out);
    else if (/^(kustomization\.ya?ml|Kustomization)$/.test(e)) out.push(p);
  }
  return out;
}

test('every kustomization root of the corpus renders as kustomize builds it, or fails for the same cause', () => {
  const { kubectl } = oracleBinaries();
  const files = new DiskFiles();
  const engine = new KustomizeEngine(files, dirUri(CORPUS));
  const all = kustomizationFiles(CORPUS);
  assert.ok(all.length >= 45, `the corpus has ${all.length} kustomization files`);
  const discovery = engine.discover(all.map(dirUri));
  assert.ok(discovery.roots.length >= 30 && discovery.roots.length < all.length, `${discovery.roots.length} roots`);
  const outcomes = discovery.roots.map((root) => {
    const generators = /configMapGenerator|secretGenerator/.test(files.read(root.kustomization) ?? '');
    return judge(root.name, engine.render(root.kustomization), runKustomize(kubectl, path.join(CORPUS, root.name)), generators);
  });
  report('corpus', outcomes);
  assert.ok(outcomes.some((o) => o.verdict.startsWith('builds')) && outcomes.some((o) => o.verdict.startsWith('fails')));
  assert.deepEqual(outcomes.filter((o) => o.problem).map((o) => `${o.name}: ${o.problem}`), []);
});

test('generated overlays render as kustomize builds them, or fail for the same cause', () => {
  const { kubectl } = oracleBinaries();
  const outcomes: Outcome[] = [];
  for (const c of CASES) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-kustomize-case-'));
    try {
      for (const [rel, text] of Object.entries(c.files)) {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), text);
      }
      const root = path.join(dir, c.root ?? 'ov');
      const engine = new KustomizeEngine(new DiskFiles(), dirUri(dir));
      const generators = Object.values(c.files).some((t) => /configMapGenerator|secretGenerator/.test(t));
      const outcome = judge(c.name, engine.render(`${dirUri(root)}/kustomization.yaml`), runKustomize(kubectl, root), generators);
      if (c.name.startsWith('fails:')) assert.match(outcome.verdict, /^fails/, `${c.name}: kustomize was expected to refuse it`);
      outcomes.push(outcome);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  report('generated overlays', outcomes);
  assert.ok(outcomes.length >= 60);
  assert.deepEqual(outcomes.filter((o) => o.problem).map((o) => `${o.name}: ${o.problem}`), []);
});
