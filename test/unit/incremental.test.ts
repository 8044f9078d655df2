import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/core/analyzer';
import { APPS, genFile, rng } from '../helpers/generate';

/**
 * Differential test of incremental analysis: after every random edit, the findings of every file
 * (most of them served from caches invalidated by dependency tracking) must equal those of a fresh
 * analysis of the same texts. Seeded, so a failure is reproducible.
 */

function snapshot(a: Analyzer): string {
  return [...a.index.uris()].sort().map((u) => `${u}\n${a.findings(u).map((f) => `  ${f.range.start.line}:${f.range.start.character} ${f.severity} ${f.code} ${f.message}`).join('\n')}`).join('\n');
}

for (let seed = 1; seed <= 12; seed++) {
  test(`incremental findings equal a fresh analysis after each of 150 random edits (seed ${seed})`, () => {
    const r = rng(seed);
    const files = new Map<string, string>();
    const inc = new Analyzer();
    let version = 0;
    for (let i = 0; i < 24; i++) {
      const [name, text] = genFile(r, i);
      files.set(name, text);
      inc.updateFile(`file:///ws/${name}`, ++version, text);
    }
    for (let step = 0; step < 150; step++) {
      const names = [...files.keys()];
      const op = r();
      if (op < 0.7) {
        // Replace a file with a new random one of any kind (renames, relabels, new nodePorts...).
        const [name, text] = genFile(r, Math.floor(r() * 30));
        files.set(name, text);
        inc.updateFile(`file:///ws/${name}`, ++version, text);
      } else if (op < 0.85 && names.length > 5) {
        const name = names[Math.floor(r() * names.length)]!;
        files.delete(name);
        inc.removeFile(`file:///ws/${name}`);
      } else {
        // A small textual edit: swap one app name for another inside a file.
        const name = names[Math.floor(r() * names.length)]!;
        const from = APPS[Math.floor(r() * APPS.length)]!;
        const to = APPS[Math.floor(r() * APPS.length)]!;
        const text = files.get(name)!.replace(new RegExp(`\\b${from}\\b`), to);
        files.set(name, text);
        inc.updateFile(`file:///ws/${name}`, ++version, text);
      }
      // Like the language server: only dirty files are recomputed, the rest come from caches.
      for (const uri of inc.takeDirty()) inc.findings(uri);
      const fresh = new Analyzer();
      for (const [name, text] of files) fresh.updateFile(`file:///ws/${name}`, 1, text);
      assert.equal(snapshot(inc), snapshot(fresh), `step ${step}`);
    }
  });
}

/**
 * Multi-document files, edited in one document: the documents after it move (their objects are
 * replaced by ones with the same content elsewhere, and the analyzer keeps what it knew of them),
 * the ones before it stay the same objects. Findings must still equal a fresh analysis.
 */
for (let seed = 101; seed <= 112; seed++) {
  test(`incremental findings equal a fresh analysis when documents of large files move (seed ${seed})`, () => {
    const r = rng(seed);
    const bundles = new Map<string, string[]>();
    const inc = new Analyzer();
    let version = 0;
    const text = (docs: string[]) => docs.join('---\n');
    for (let b = 0; b < 4; b++) {
      const docs = Array.from({ length: 6 + Math.floor(r() * 6) }, (_, i) => genFile(r, b * 20 + i)[1]).filter((d) => !d.startsWith('patches:'));
      bundles.set(`bundle${b}.yaml`, docs);
      inc.updateFile(`file:///ws/bundle${b}.yaml`, ++version, text(docs));
    }
    for (let step = 0; step < 80; step++) {
      const name = `bundle${Math.floor(r() * bundles.size)}.yaml`;
      const docs = [...bundles.get(name)!];
      const i = Math.floor(r() * docs.length);
      const op = r();
      if (op < 0.5) {
        // Change a document's length: every later document moves.
        const from = APPS[Math.floor(r() * APPS.length)]!;
        docs[i] = docs[i]!.replace(new RegExp(`\\b${from}\\b`), `${from}${r() < 0.5 ? 'x' : ''}`);
      } else if (op < 0.7) {
        docs.splice(i, 0, genFile(r, 100 + step)[1].replace(/^patches:[\s\S]*/, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n'));
      } else if (op < 0.85 && docs.length > 2) {
        docs.splice(i, 1);
      } else {
        docs[i] = `# a comment line above\n${docs[i]}`;
      }
      bundles.set(name, docs);
      inc.updateFile(`file:///ws/${name}`, ++version, text(docs));
      for (const uri of inc.takeDirty()) inc.findings(uri);
      const fresh = new Analyzer();
      for (const [n, d] of bundles) fresh.updateFile(`file:///ws/${n}`, 1, text(d));
      assert.equal(snapshot(inc), snapshot(fresh), `step ${step}`);
    }
  });
}
