import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../server/src/core/model/fileModel';
import { KIND_CATALOG } from '../../server/src/core/kinds/registry';
import { splitDocuments } from '../../server/src/core/parse/documents';
import { findManifestsSync } from '../../server/src/node/manifestFiles';
import { SHARED } from '../helpers/disk';

/**
 * The editor reads documents of kinds no rule inspects by their identity only (apiVersion, kind,
 * metadata). On every document of the corpus, that must give exactly the resources a full parse
 * gives: the speed-up may not change a single finding that depends on resources. (The fast scanner
 * reads most such bodies whole; this checks the identity path it falls back to, so both parses
 * here are the `yaml` package's: fastScan false. test/robustness/fastScan.test.ts checks the scanner.)
 */
test('identity-only reading models every corpus document exactly like a full parse', () => {
  const files = findManifestsSync([path.join(SHARED, 'corpus')]).files;
  let skipped = 0;
  let docs = 0;
  for (const f of files) {
    for (const slice of splitDocuments(readFileSync(f, 'utf8'))) {
      docs++;
      const fast = analyzeDocument(slice.text, { skipBodies: true, catalog: KIND_CATALOG, fastScan: false });
      if (!fast.partial) continue;
      skipped++;
      const full = analyzeDocument(slice.text, { skipBodies: false, catalog: KIND_CATALOG, fastScan: false });
      // Everything but where the object's mapping ends (the skeleton's spans the whole document).
      const withoutEnd = (rs: typeof fast.resources) => rs.map((r) => ({ ...r, span: r.span.start }));
      assert.deepEqual(withoutEnd(fast.resources), withoutEnd(full.resources), `${f} at ${slice.start}`);
      assert.deepEqual(fast.patchRefs, full.patchRefs, `${f} at ${slice.start}`);
      // Problems of the parsed part are a subset of the full parse's.
      for (const p of fast.problems) assert.ok(full.problems.some((q) => q.code === p.code && q.span.start === p.span.start), `${f}: ${p.message}`);
    }
  }
  assert.ok(skipped > 500, `only ${skipped} of ${docs} documents were read by identity`);
});
