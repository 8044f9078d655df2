/**
 * A diagnostic's code links to its rule's section of the docs/rules.md shipped beside the server
 * bundle (`file:` URI + `#<code>`), so the link works offline in any editor; never a web address.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, waitReady } from '../helpers/lsp';
import { fixture } from './lspTestUtils';

test('every diagnostic\'s codeDescription.href is docs/rules.md#<code> beside the server, and that heading exists', async () => {
  const s = await startServer(fixture('settings'));
  try {
    await waitReady(s);
    const all = [...s.diagnostics.values()].flat();
    assert.ok(all.length >= 3, `${all.length} diagnostics`);
    const docs = path.resolve(__dirname, '../../docs/rules.md');
    const headings = new Set(readFileSync(docs, 'utf8').split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3).trim()));
    for (const d of all) {
      const href = d.codeDescription?.href;
      assert.ok(href, `${d.code} has a link`);
      const url = new URL(href);
      assert.equal(url.protocol, 'file:', href);
      assert.equal(fileURLToPath(url), docs);
      assert.ok(existsSync(fileURLToPath(url)));
      assert.equal(url.hash, `#${d.code}`);
      assert.ok(headings.has(String(d.code)), `docs/rules.md has a "## ${d.code}" heading`);
    }
  } finally {
    await s.stop();
  }
});
