import type { KustomizeRender, RenderedObject } from '../kustomize';
import { isServiceBackendRef, namespacesCompatible, type Resource } from '../model/resources';
import type { LineIndex } from '../lineIndex';
import { RULES_BY_CODE } from '../rules/catalogue';
import type { Finding, Span } from '../types';
import type { Variant } from './workspace';

/** The codes a broken reference gets in any cluster; a kustomize rename explains it better. */
export const EXPLAINED_BY_RENAME: ReadonlySet<string> = new Set([
  'route-service-missing', 'route-gateway-missing', 'ingress-service-missing', 'statefulset-service-missing',
]);

interface Reference {
  readonly kind: 'Service' | 'Gateway';
  readonly name: string;
  readonly namespace: string | undefined;
  readonly span: Span;
  readonly what: string;
}

function referencesOf(r: Resource): Reference[] {
  switch (r.type) {
    case 'route':
      return [
        ...r.backendRefs.filter((b) => isServiceBackendRef(b) && b.name?.value).map((b) => ({
          kind: 'Service' as const, name: b.name!.value, namespace: b.namespace?.value ?? r.namespace, span: b.name!.span, what: `${r.kind} backendRefs`,
        })),
        ...r.parentRefs.filter((p) => p.kind === 'Gateway' && p.name?.value).map((p) => ({
          kind: 'Gateway' as const, name: p.name!.value, namespace: p.namespace?.value ?? r.namespace, span: p.name!.span, what: `${r.kind} parentRefs`,
        })),
      ];
    case 'ingress':
      return r.backends.filter((b) => b.serviceName?.value).map((b) => ({
        kind: 'Service' as const, name: b.serviceName!.value, namespace: r.namespace, span: b.serviceName!.span, what: 'Ingress backends',
      }));
    case 'workload':
      return r.kind === 'StatefulSet' && typeof r.serviceName?.value === 'string' && r.serviceName.value
        ? [{ kind: 'Service', name: r.serviceName.value, namespace: r.namespace, span: r.serviceName.span, what: 'StatefulSet serviceName' }] : [];
    default:
      return [];
  }
}

/** A render's renamed objects by kind and old name: made once per render, asked once per document. */
export function renamedObjects(render: KustomizeRender): ReadonlyMap<string, readonly RenderedObject[]> {
  const byKey = new Map<string, RenderedObject[]>();
  for (const o of render.objects) {
    if (!o.renamedFrom || o.renamedFrom.name === o.name && o.renamedFrom.namespace === o.namespace) continue;
    const key = `${o.kind}\u0000${o.renamedFrom.name}`;
    const list = byKey.get(key);
    if (list) list.push(o);
    else byKey.set(key, [o]);
  }
  return byKey;
}

/**
 * References in a variant's rendered document that name an object by the name its file gave it,
 * which the build changed (namePrefix, nameSuffix, namespace) without rewriting the reference:
 * kustomize rewrites only the fields of its nameReference configuration (not Gateway API routes,
 * not custom resources). Each becomes `kustomize-reference-not-renamed` at the reference.
 */
export function unrenamedReferences(v: Variant, renamed: ReadonlyMap<string, readonly RenderedObject[]>, docUri: string, sourceLines: (uri: string) => LineIndex | undefined): Finding[] {
  if (renamed.size === 0) return [];
  const rule = RULES_BY_CODE.get('kustomize-reference-not-renamed')!;
  const severity = v.analyzer.settings.severity[rule.code];
  const lines = v.analyzer.index.file(docUri)?.parsed.lines;
  if (severity === 'off' || !lines) return [];
  const out: Finding[] = [];
  for (const r of v.analyzer.index.activeResources(docUri)) {
    for (const ref of referencesOf(r)) {
      const found = ref.kind === 'Service' ? v.analyzer.resolver.servicesNamed(ref.name, ref.namespace) : v.analyzer.resolver.gatewaysNamed(ref.name, ref.namespace);
      if (found.length > 0) continue;
      const to = (renamed.get(`${ref.kind}\u0000${ref.name}`) ?? []).find((o) => namespacesCompatible(o.namespace || undefined, ref.namespace));
      if (!to) continue;
      const now = `${to.namespace ? `${to.namespace}/` : ''}${to.name}`;
      out.push({
        uri: docUri, range: lines.headRange(ref.span), severity: severity ?? rule.severity, code: rule.code,
        message: `${ref.kind} \`${ref.name}\` is \`${now}\` in ${v.name}: the build renamed it, and kustomize does not rewrite ${ref.what}, so this reference names nothing there. Carry the new name with a \`replacements\` entry, or teach kustomize the field with a \`configurations\` nameReference.`,
        related: [...to.renamedBy.map((o) => ({ o, message: 'renamed here' })), { o: to.source, message: `${ref.kind} \`${ref.name}\` as written` }]
          .flatMap(({ o, message }) => {
            const src = sourceLines(o.uri);
            return src ? [{ uri: o.uri, range: src.headRange(o.span), message }] : [];
          }),
        variants: [v.name],
      });
    }
  }
  return out;
}
