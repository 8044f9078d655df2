#!/usr/bin/env node
// `npm run package`: the extension as a .vsix, offline.
//
//   1. node scripts/build.mjs --production (unless --no-build)
//   2. .kt-tmp/vsix/README.md: the README for the extension's details page (scripts/lib/vsixReadme.mjs:
//      images inlined as data: URIs, links to repository files as text)
//   3. vsce package with that README; `files` in package.json ships only the bundles, docs/rules.md,
//      the grammar, the icon, LICENSE and CHANGELOG.md (the same list makes `npm pack` of this folder,
//      which pre-commit runs to install the hook in .pre-commit-hooks.yaml, hold the CLI).
//
// Usage: node scripts/package.mjs [--out FILE] [--no-build]    (default FILE: kube-traffic.vsix)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { vsixReadme } from './lib/vsixReadme.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = path.resolve(outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1] : path.join(root, 'kube-traffic.vsix'));

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    console.error(`[package] ${path.basename(cmdArgs[0] ?? cmd)} exited with ${r.status ?? r.signal}`);
    process.exit(1);
  }
}

if (!args.includes('--no-build')) run(process.execPath, ['scripts/build.mjs', '--production']);

const readmeDir = path.join(root, '.kt-tmp/vsix');
mkdirSync(readmeDir, { recursive: true });
let readme;
try {
  readme = vsixReadme(readFileSync(path.join(root, 'README.md'), 'utf8'), root);
} catch (error) {
  console.error(`[package] ${error.message}`);
  process.exit(1);
}
writeFileSync(path.join(readmeDir, 'README.md'), readme.text);
console.log(`[package] README for the details page: ${readme.images.length} images inlined, ${readme.unlinked.length} repository links as text`);

const vsce = path.join(path.dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
mkdirSync(path.dirname(out), { recursive: true });
run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links',
  '--readme-path', path.relative(root, path.join(readmeDir, 'README.md')), '-o', out]);
