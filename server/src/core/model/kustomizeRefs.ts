import type { ParsedFile } from '../parse/parseFile';
import { asMap, getSeq, getString, seqItems, scalarRef, type AnyNode, type DocRef } from './yamlAccess';

/**
 * Paths a kustomization applies as patches (`patches`, `patchesStrategicMerge`,
 * `patchesJson6902`), as written (relative to the kustomization file). Read from any document;
 * the index only uses them for files named kustomization.yaml / .yml / Kustomization.
 */
export function kustomizationPatchRefs(file: ParsedFile): string[] {
  const out: string[] = [];
  for (const d of file.documents ?? []) patchRefsOf(d.doc.contents as AnyNode, d.doc, out);
  return out;
}

/** kustomizationPatchRefs of one document, given its root node (of either tree). */
export function patchRefsOf(rootNode: AnyNode, doc: DocRef, out: string[] = []): string[] {
  const root = asMap(rootNode);
  if (!root) return out;
  const add = (rel: string) => {
    if (rel && !rel.includes('\n') && !/^[a-z]+:/i.test(rel)) out.push(rel); // not inline patches or remote URLs
  };
  for (const key of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
    for (const item of seqItems(getSeq(root, key, doc), doc)) {
      const s = scalarRef(item);
      if (s && typeof s.value === 'string') add(s.value);
      const path = getString(asMap(item), 'path', doc);
      if (path) add(path.value);
    }
  }
  return out;
}
