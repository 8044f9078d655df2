import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/core/rules/catalogue';

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
