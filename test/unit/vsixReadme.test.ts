import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// scripts/ are plain ES modules run by node; this test file is CommonJS.
const load = () => import('../../scripts/lib/vsixReadme.mjs');

function withRepo(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-readme-'));
    try {
      mkdirSync(path.join(dir, 'docs/images'), { recursive: true });
      mkdirSync(path.join(dir, 'examples/policies'), { recursive: true });
      writeFileSync(path.join(dir, 'docs/images/a.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
      writeFileSync(path.join(dir, 'docs/rules.md'), '# Rules\n');
      writeFileSync(path.join(dir, 'docs/images/logo.svg'), '<svg/>');
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('the details-page README inlines images, turns repository links into text, keeps anchors, web links and code', withRepo(async (dir) => {
  const { vsixReadme } = await load();
  const md = [
    '# T', '![Hover](docs/images/a.png)', 'See [docs/rules.md](docs/rules.md), [the policies](examples/policies), [below](#t),',
    '[a site](https://example.org/x) and [mail](mailto:a@b.c).', '```md', '![not an image](docs/images/missing.png) [x](nowhere)', '```',
  ].join('\n');
  const out = vsixReadme(md, dir);
  assert.equal(out.text.split('\n')[1], `![Hover](data:image/png;base64,${Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]).toString('base64')})`);
  assert.equal(out.text.split('\n')[2], 'See `docs/rules.md`, the policies (`examples/policies`), [below](#t),');
  assert.equal(out.text.split('\n')[3], '[a site](https://example.org/x) and [mail](mailto:a@b.c).');
  assert.equal(out.text.split('\n')[5], '![not an image](docs/images/missing.png) [x](nowhere)', 'fenced code is left alone');
  assert.deepEqual(out.images, ['docs/images/a.png']);
  assert.deepEqual(out.unlinked, ['docs/rules.md', 'examples/policies']);
}));

test('a missing target, an SVG image or an <img> tag stops the packaging with a clear message', withRepo(async (dir) => {
  const { vsixReadme } = await load();
  assert.throws(() => vsixReadme('![x](docs/images/gone.png)', dir), /links to docs\/images\/gone\.png, which does not exist/);
  assert.throws(() => vsixReadme('[x](docs/old.md)', dir), /docs\/old\.md, which does not exist/);
  assert.throws(() => vsixReadme('![logo](docs/images/logo.svg)', dir), /must be PNG, JPEG, GIF or WebP/);
  assert.throws(() => vsixReadme('<img src="docs/images/a.png">', dir), /use markdown images/);
}));
