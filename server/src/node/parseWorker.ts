/**
 * Worker thread of the language server's cold index: reads, decodes and models files off the
 * main thread (a second core), and sends back plain data.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { buildFileModel, toStored } from '../core/model/fileModel';
import { KIND_CATALOG } from '../core/kinds/registry';
import { decodeManifest } from './fileSystemHost';
import type { WorkerRequest, WorkerResponse } from './parsePool';

parentPort?.on('message', (req: WorkerRequest) => {
  let res: WorkerResponse;
  let hash: string | undefined;
  try {
    let text = req.text;
    if (text === undefined) {
      const st = statSync(req.path);
      if (st.size > req.maxBytes) {
        res = { id: req.id, skipped: `the file is ${(st.size / 1048576).toFixed(1)} MB, over kubeTraffic.maxFileSize` };
        parentPort!.postMessage(res);
        return;
      }
      const bytes = readFileSync(req.path);
      hash = contentHash(bytes);
      const decoded = decodeManifest(bytes);
      if (decoded.text === undefined) {
        res = { id: req.id, skipped: decoded.problem ?? 'unreadable' };
        parentPort!.postMessage(res);
        return;
      }
      text = decoded.text;
    }
    const model = buildFileModel(req.uri, 'disk', text, undefined, { skipBodies: req.skipBodies, catalog: KIND_CATALOG });
    res = { id: req.id, text, hash: hash ?? contentHash(Buffer.from(text, 'utf8')), stored: toStored(model) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    res = { id: req.id, ...(err?.code === 'ENOENT' ? { missing: true } : { skipped: err?.message ?? String(e) }) };
  }
  parentPort!.postMessage(res);
});

/** SHA-1 of a file's bytes: the persisted index's key. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}
