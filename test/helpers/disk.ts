/**
 * Workspaces on disk: temp folders and files written into them, and a folder analysed through
 * the workspace service as the CLI does. /work/shared material is read from SHARED, never copied.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Workspace } from '../../server/src/core/variants/workspace';
import { NodeHost } from '../../server/src/node/nodeHost';
import { WorkspaceService } from '../../server/src/service/workspaceService';
import type { Finding } from '../../server/src/core/types';

export const SHARED = path.resolve(__dirname, '../../../shared');

/** A new empty folder `kt-NAME-…` in os.tmpdir(), by its real path (no symlinked /tmp in URIs). */
export function tempDir(name: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `kt-${name}-`)));
}

/** Writes a file below `dir` (creating folders); returns its path. */
export function write(dir: string, rel: string, content: string | Uint8Array): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

export function removeDir(dir: string | undefined): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

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
