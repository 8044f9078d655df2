/**
 * The .vsix as users get it: `npm run package`'s script builds it, the archive is read back, and
 * what must (and must not) be inside is checked; then it is installed into code-server and its
 * details page and a diagnostic's rule link are looked at in headless Chromium.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readZip } from './zip';

const root = path.resolve(__dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-vsix-test-'));
const vsix = path.join(tmp, 'kube-traffic.vsix');
let files: Map<string, Buffer>;
const text = (name: string) => files.get(name)?.toString('utf8') ?? '';

/** GitHub's (and VS Code's) heading anchor for simple headings. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
/** Markdown links and images outside fenced code. */
function links(markdown: string): { image: boolean; text: string; target: string }[] {
  const out: { image: boolean; text: string; target: string }[] = [];
  let fence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (fence) continue;
    for (const m of line.matchAll(/(!?)\[([^\]\n]*)\]\(([^)\s]+)\)/g)) out.push({ image: m[1] === '!', text: m[2]!, target: m[3]! });
  }
  return out;
}

before(() => {
  const r = spawnSync(process.execPath, ['scripts/package.mjs', '--out', vsix], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 0, `scripts/package.mjs failed:\n${r.stdout}\n${r.stderr}`);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('the .vsix holds the bundles, manifest, docs, icon, LICENSE and CHANGELOG', async () => {
  files = await readZip(vsix);
  for (const name of [
    'extension.vsixmanifest', 'extension/package.json', 'extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt',
    'extension/media/icon.png', 'extension/docs/rules.md', 'extension/client/out/extension.js', 'extension/server/out/server.js',
    'extension/server/out/cli.js', 'extension/server/out/parseWorker.js', 'extension/webview/out/topology.js',
    'extension/webview/out/topology.css', 'extension/syntaxes/kubernetes.injection.tmLanguage.json',
  ]) assert.ok(files.has(name), `${name} is in the .vsix`);
  assert.match(text('extension/LICENSE.txt'), /^MIT License\n\nCopyright \(c\) \d{4} Kube Traffic contributors\n/);
  const manifest = JSON.parse(text('extension/package.json')) as Record<string, unknown>;
  assert.match(text('extension/changelog.md'), new RegExp(`^## ${String(manifest.version).replace(/\./g, '\\.')}\\b`, 'm'));
  assert.equal(manifest.icon, 'media/icon.png');
  assert.equal(manifest.license, 'MIT');
  assert.ok((manifest.keywords as string[]).length >= 10, 'keywords');
  assert.equal(manifest.repository, undefined, 'no invented web address');
  assert.equal(manifest.homepage, undefined, 'no invented web address');
  const icon = files.get('extension/media/icon.png')!;
  assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128], 'a 128×128 PNG');
});

test('the .vsix holds no sources, source maps, tests, images folder or development files', () => {
  const names = [...files.keys()];
  const bad = names.filter((n) => /\.(ts|tsx|map|mts|cts)$/.test(n) || /\/(src|test|e2e|scripts|examples|node_modules|\.kt-tmp|packages)\//.test(n)
    || n.startsWith('extension/docs/images/') || /tsconfig|\.vscodeignore|\.gitignore|\.npmrc|package-lock|pre-commit/.test(n));
  assert.deepEqual(bad, []);
  for (const [name, body] of files) {
    if (name.endsWith('.js')) assert.doesNotMatch(body.toString('utf8').slice(-300), /sourceMappingURL/, `${name} points at no source map`);
  }
  assert.ok(names.length <= 20, `${names.length} files: ${names.join(', ')}`);
});

test('README images are inside the package: each one inlined from docs/images; no link points outside it', () => {
  const source = readFileSync(path.join(root, 'README.md'), 'utf8');
  const shipped = text('extension/readme.md');
  const wanted = links(source).filter((l) => l.image);
  const got = links(shipped).filter((l) => l.image);
  assert.ok(wanted.length >= 8, `${wanted.length} images in README.md`);
  assert.deepEqual(got.map((l) => l.text), wanted.map((l) => l.text));
  got.forEach((img, i) => {
    const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(img.target);
    assert.ok(m, `${img.text}: a data: URI (the details page admits only https: and data: images)`);
    assert.ok(Buffer.from(m[1]!, 'base64').equals(readFileSync(path.join(root, wanted[i]!.target))), `${img.text} is ${wanted[i]!.target}`);
  });
  // Links: in-page anchors that exist, or web/mail links. Nothing relative (the page cannot open it).
  const anchors = new Set([...shipped.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!.replace(/`/g, ''))));
  for (const l of links(shipped).filter((x) => !x.image)) {
    if (l.target.startsWith('#')) assert.ok(anchors.has(l.target.slice(1)), `anchor ${l.target} has a heading`);
    else assert.match(l.target, /^(https?|mailto):/, `${l.text} → ${l.target} is not a dead relative link`);
  }
  for (const dead of ['](examples/', '](e2e/', '](docs/']) assert.ok(!shipped.includes(dead), `no ${dead}… link`);
});

test('installed into code-server: the details page shows the icon and every README image; a rule link opens the rule', { timeout: 180_000 }, () => {
  for (const [what, file] of [['code-server (sh e2e/setup.sh)', path.join(root, 'e2e/node_modules/code-server/out/node/entry.js')], ['Chromium', process.env.KT_E2E_CHROMIUM || '/usr/bin/chromium']] as const) {
    assert.ok(existsSync(file), `${what} is missing: ${file}`);
  }
  const r = spawnSync(process.execPath, ['scripts/installed-vsix.mjs', '--vsix', vsix, '--workspace', 'test/e2e/workspace', '--code', 'service-selects-nothing'],
    { cwd: root, encoding: 'utf8', timeout: 170_000 });
  assert.equal(r.status, 0, `installed-vsix.mjs failed:\n${r.stderr}`);
  const report = JSON.parse(r.stdout) as {
    installed: string[];
    page: { header: { name: string; icon: { src: string; naturalWidth: number } }; readme: { images: { alt: string; scheme: string; naturalWidth: number }[] } };
    ruleLink: { code: string; href: string; tab: string; preview?: { heading?: { text: string; top: number } } };
    blockedByContentPolicy: string[];
  };
  assert.deepEqual(report.installed, ['kube-traffic.kube-traffic-0.1.0']);
  assert.equal(report.page.header.name, 'Kube Traffic');
  assert.match(report.page.header.icon.src, /media%2Ficon\.png/, 'our icon, not the placeholder');
  assert.equal(report.page.header.icon.naturalWidth, 128);
  const images = report.page.readme.images;
  assert.equal(images.length, links(readFileSync(path.join(root, 'README.md'), 'utf8')).filter((l) => l.image).length);
  for (const img of images) assert.ok(img.scheme === 'data' && img.naturalWidth > 0, `${img.alt} is shown: ${JSON.stringify(img)}`);
  assert.deepEqual(report.blockedByContentPolicy, []);
  // Clicking the code in the Problems panel: the rendered rules.md, scrolled to the rule's heading.
  assert.equal(report.ruleLink.code, 'service-selects-nothing');
  assert.match(report.ruleLink.href, /^command:kubeTraffic\.showRule\?/);
  assert.match(report.ruleLink.tab, /^Preview rules\.md/);
  assert.equal(report.ruleLink.preview?.heading?.text, 'service-selects-nothing');
  assert.ok(Math.abs(report.ruleLink.preview.heading.top) < 40, `the heading is at the top: ${JSON.stringify(report.ruleLink.preview)}`);
});
