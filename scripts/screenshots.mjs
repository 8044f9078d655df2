// Regenerates the README screenshots (docs/images/*.png) in real VS Code on a copy of examples/.
// Usage: npm run screenshots
//        npm run screenshots -- --review   also hovers, lenses and a multi-folder nearest miss,
//                                           into a temp folder (docs/images untouched)
import { cpSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const review = process.argv.includes('--review');
const out = review ? mkdtempSync(path.join(os.tmpdir(), 'kt-review-shots-')) : path.join(root, 'docs/images');
const step = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
step(process.execPath, ['scripts/build.mjs']);
step(process.execPath, ['scripts/setup.mjs']);
mkdirSync(out, { recursive: true });
const ws = mkdtempSync(path.join(os.tmpdir(), 'kt-shots-ws-'));
cpSync(path.join(root, 'examples'), ws, { recursive: true });
try {
  // Helm for the template screenshot: the test oracle's (oracle/, installed by the setup step).
  const helm = spawnSync(process.execPath, ['--import', 'tsx', '-e', "process.stdout.write(require('./test/helpers/oracle.ts').oracleBinaries().helm)"], { cwd: root, encoding: 'utf8' }).stdout;
  step(process.execPath, ['e2e/run-tests.mjs', '--extension', root, '--tests', path.join(root, 'test/e2e/out/screenshots/index.js'), '--workspace', ws], {
    KT_E2E_SCREENSHOT_DIR: out, KT_E2E_VARIANTS: path.join(root, 'test/fixtures/variants'), KT_E2E_HELM: helm, KT_E2E_TIMEOUT: '300',
    ...(review ? { KT_E2E_REVIEW: '1' } : {}),
  });
} finally {
  rmSync(ws, { recursive: true, force: true });
}
console.log(`screenshots written to ${review ? out : path.relative(process.cwd(), out)}/`);
