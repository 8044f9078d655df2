import type { ParsedFile } from '../parse/parseFile';
import { asMap, getSeq, getString, seqItems, scalarRef, type AnyNode } from './yamlAccess';

/**
 * Paths a kustomization applies as patches (`patches`, `patchesStrategicMerge`,
 * `patchesJson6902`), as written (relative to the kustomization file). Read from any document;
 * the index only uses them for files named kustomization.yaml / .yml / Kustomization.
 */
export function kustomizationPatchRefs(file: ParsedFile): string[] {
  const out: string[] = [];
  for (const d of file.documents ?? []) {
    const root = asMap(d.doc.contents as AnyNode);
    if (!root) continue;
    const add = (rel: string) => {
      if (rel && !rel.includes('\n') && !/^[a-z]+:/i.test(rel)) out.push(rel); // not inline patches or remote URLs
    };
    for (const key of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
      for (const item of seqItems(getSeq(root, key, d.doc), d.doc)) {
        const s = scalarRef(item);
        if (s && typeof s.value === 'string') add(s.value);
        const path = getString(asMap(item), 'path', d.doc);
        if (path) add(path.value);
      }
    }
  }
  return out;
}
