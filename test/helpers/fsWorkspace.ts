import * as path from 'node:path';
import { Analyzer } from '../../server/src/core/analyzer';
import { FileSystemHost, findManifests } from '../../server/src/node/fileSystemHost';
import type { Finding } from '../../server/src/core/types';
import { fileURLToPath } from 'node:url';

export const SHARED = path.resolve(__dirname, '../../../shared');

export interface FsFinding extends Finding {
  /** Path relative to the analysed root, `/`-separated. */
  readonly file: string;
}

/** Analyses a folder on disk as one workspace, as the CLI does. */
export async function analyzeFolder(root: string): Promise<{ analyzer: Analyzer; findings: FsFinding[]; skipped: Map<string, string> }> {
  const walk = await findManifests([root]);
  const host = new FileSystemHost(walk.files, 10 * 1048576);
  const analyzer = new Analyzer();
  await analyzer.indexWorkspace(host);
  const findings: FsFinding[] = [];
  for (const [uri, list] of analyzer.allFindings()) {
    const file = path.relative(root, fileURLToPath(uri)).split(path.sep).join('/');
    for (const f of list) findings.push({ ...f, file });
  }
  return { analyzer, findings, skipped: host.problems };
}
