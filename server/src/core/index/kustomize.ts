const KUSTOMIZATION_NAME = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

export function isKustomizationFile(uri: string): boolean {
  return KUSTOMIZATION_NAME.test(uri);
}

/**
 * Files a kustomization applies as patches, as URIs. They hold partial objects (a Deployment
 * without selector, a Service without ports) that only make sense merged into their base, so they
 * are not analysed as resources of their own.
 */
export function resolvePatchUris(kustomizationUri: string, refs: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const rel of refs) {
    try {
      out.add(new URL(rel, kustomizationUri).href);
    } catch {
      // not a path
    }
  }
  return out;
}
