/**
 * A value written to be substituted before the manifest is applied: `__INGRESS_HOST__`,
 * `registry.<your domain>`, `${HOST}`, `$(HOST)`. Like a templated file, it is not checked as the
 * name or address it stands for (the API server would refuse it verbatim, but nobody applies it so).
 */
const PLACEHOLDER = /__[A-Z][A-Z0-9_]*__|<[^<>]+>|\$\{[^}]*\}|\$\([^)]*\)|\{\{/;

export function isPlaceholder(v: unknown): boolean {
  return typeof v === 'string' && PLACEHOLDER.test(v);
}
