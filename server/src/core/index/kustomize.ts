import type { ParsedFile } from '../parse/parseFile';
import { asMap, getSeq, getString, seqItems, scalarRef, type AnyNode } from '../model/yamlAccess';

const KUSTOMIZATION_NAME = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

export function isKustomizationFile(uri: string): boolean {
  return KUSTOMIZATION_NAME.test(uri);
}

/**
 * Files a kustomization applies as patches (`patches`, `patchesStrategicMerge`, `patchesJson6902`).
 * They hold partial objects (a Deployment without selector, a Service without ports) that only make
 * sense merged into their base, so they are not analysed as resources of their own.
 */
export function kustomizationPatchUris(file: ParsedFile): Set<string> {
  const out = new Set<string>();
  for (const d of file.documents) {
    const root = asMap(d.doc.contents as AnyNode);
    if (!root) continue;
    const add = (rel: string) => {
      if (!rel || rel.includes('\n') || /^[a-z]+:/i.test(rel)) return; // inline patches and remote URLs
      try {
        out.add(new URL(rel, file.uri).href);
      } catch {
        // not a path
      }
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
