/**
 * Worker thread of the language server's cold index: reads, decodes and models files off the
 * main thread (a second core), and sends back plain data.
 */
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { buildFileModel, toStored } from '../core/model/fileModel';
import { KIND_CATALOG } from '../core/kinds/registry';
import { readManifestSync } from './manifestFiles';
import { applyParseModeFromEnv } from './parseMode';
import type { WorkerRequest, WorkerResponse } from './parsePool';

applyParseModeFromEnv();

parentPort?.on('message', (req: WorkerRequest) => {
  let res: WorkerResponse;
  try {
    const read = readManifestSync(fileURLToPath(req.uri), req.maxBytes);
    if (read.type !== 'text') {
      res = { ...read, id: req.id };
    } else {
      const model = buildFileModel(req.uri, 'disk', read.text, undefined, { skipBodies: req.skipBodies, catalog: KIND_CATALOG });
      res = { id: req.id, type: 'model', text: read.text, hash: read.hash, stored: toStored(model) };
    }
  } catch (e) {
    res = { id: req.id, type: 'unreadable', reason: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(res);
});
