/**
 * Memory across edits: a document result reused after an edit must not keep older versions of
 * the file alive (names and labels cut from a file's text are views of the whole text in V8).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Analyzer } from '../../server/src/core/analyzer';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1048576;
}

test('60 edits to a 2 MB file, each in another document: the retained heap stays bounded (old versions are not pinned)', () => {
  const docs: string[] = [];
  for (let i = 0; i < 400; i++) {
    // Long names and label values: strings the parser cuts from the text and the model keeps.
    const labels = Array.from({ length: 12 }, (_, k) => `    label-key-${k}-of-service-${i}: value-${k}-of-a-long-label-for-service-${i}`).join('\n');
    docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: service-with-a-long-name-${i}\n  annotations:\n    description: "${'x'.repeat(4000)}"\nspec:\n  selector:\n${labels}\n  ports:\n    - port: 80\n`);
  }
  let text = docs.join('---\n');
  const uri = 'file:///ws/big.yaml';
  const fileMb = text.length / 1048576;
  const a = new Analyzer({}, { skipBodies: true });
  a.updateFile(uri, 1, text);
  a.findings(uri);
  const before = heapMb();
  for (let i = 1; i <= 60; i++) {
    const at = text.indexOf(`service-with-a-long-name-${i * 6}\n`);
    text = `${text.slice(0, at)}x${text.slice(at)}`;
    a.updateFile(uri, 1 + i, text);
    a.findings(uri);
  }
  const growth = heapMb() - before;
  process.stdout.write(`file ${fileMb.toFixed(1)} MB; retained heap growth after 60 edits ${growth.toFixed(1)} MB\n`);
  // One older version plus the edited documents' own copies may stay; 60 pinned versions may not.
  assert.ok(growth < 4 * fileMb, `retained heap grew by ${growth.toFixed(1)} MB over 60 edits of a ${fileMb.toFixed(1)} MB file`);
});
