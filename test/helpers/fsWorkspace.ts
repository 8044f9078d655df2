import * as path from 'node:path';
import type { Workspace } from '../../server/src/core/variants/workspace';
import { NodeHost } from '../../server/src/node/nodeHost';
import { WorkspaceService } from '../../server/src/service/workspaceService';
import type { Finding } from '../../server/src/core/types';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const SHARED = path.resolve(__dirname, '../../../shared');

export interface FsFinding extends Finding {
  /** Path relative to the analysed root, `/`-separated. */
  readonly file: string;
}

/** Analyses a folder on disk as one workspace, as the CLI does. */
export async function analyzeFolder(root: string): Promise<{ analyzer: Workspace; findings: FsFinding[]; skipped: Map<string, string> }> {
  const service = new WorkspaceService(new NodeHost(), {}, { unreadable: 'report' });
  service.setFolders([pathToFileURL(root).href]);
  await service.reindex();
  const analyzer = service.workspace;
  const findings: FsFinding[] = [];
  for (const [uri, list] of analyzer.allFindings()) {
    const file = path.relative(root, fileURLToPath(uri)).split(path.sep).join('/');
    for (const f of list) findings.push({ ...f, file });
  }
  const skipped = new Map([...service.skippedFiles()].map(([uri, p]) => [uri, p.type === 'unreadable' ? p.reason : p.type]));
  return { analyzer, findings, skipped };
}
