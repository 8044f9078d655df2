import type { Origin } from '../render/types';
import { visitSpec, type FieldSpec, type TransformerConfig } from './fieldSpecs';
import { fail } from './problems';
import { effectiveNamespace, gvkSelected, idString, isClusterScoped, type Gvk, type Resource } from './resource';
import { addRelated, field, kscalar, scalarText, setField, type KMap, type KNode } from './tree';

/**
 * Kustomize's name-reference fix-up, run once at the top of the build after every rename: a field
 * that the nameReference configuration lists as naming an object of some kind is rewritten to the
 * object's new name (and, for `{name, namespace}` pairs, its namespace), when exactly one renamed
 * candidate matches by a previous name, kind, namespace and name prefixes/suffixes. Fields it does not
 * list (an HTTPRoute backendRef, any custom resource) keep the name as written.
 */

interface Filter {
  readonly spec: FieldSpec;
  readonly target: Gvk;
}

/** Current ids, computed once per fix-up (references are rewritten, ids are not). */
interface Ids {
  readonly cluster: ReadonlyMap<Resource, boolean>;
  readonly ns: ReadonlyMap<Resource, string>;
}

function couldBeReferencedBy(resources: readonly Resource[], referrer: Resource, ids: Ids): Resource[] {
  if (ids.cluster.get(referrer)) return [...resources];
  const bindingNamespaces = new Set<string>();
  if (referrer.kind === 'RoleBinding') {
    const subjects = field(referrer.node, 'subjects');
    if (subjects?.kind === 'seq') {
      for (const s of subjects.items) {
        const ns = scalarText(field(s, 'namespace'));
        if (ns !== undefined && scalarText(field(s, 'kind')) === 'ServiceAccount') bindingNamespaces.add(ns);
      }
    }
  }
  const refNs = ids.ns.get(referrer);
  return resources.filter((r) => ids.cluster.get(r) || ids.ns.get(r) === refNs || bindingNamespaces.has(r.namespace));
}

/** kustomize's SameEndingSubSlice. */
function sameEnding(a: readonly string[], b: readonly string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length === 0) return long.length === 0;
  const diff = long.length - short.length;
  return short.every((s, i) => long[i + diff] === s);
}

function affixesEqual(r: Resource, o: Resource, allowEmpty: boolean): boolean {
  if (allowEmpty) {
    const pre = r.prefixes.length === 0 || o.prefixes.length === 0 || sameEnding(r.prefixes, o.prefixes);
    const suf = r.suffixes.length === 0 || o.suffixes.length === 0 || sameEnding(r.suffixes, o.suffixes);
    return pre && suf;
  }
  return sameEnding(r.prefixes, o.prefixes) && sameEnding(r.suffixes, o.suffixes);
}

function selectReferral(
  oldName: string, candidates: Resource[], referrer: Resource, f: Filter, identical: (rs: Resource[]) => boolean, at: Origin,
): Resource | undefined {
  let c = candidates.filter((r) => r.prevIds.some((id) => id.name === oldName));
  c = c.filter((r) => r.prevIdsWithGvk().some((id) => gvkSelected(id, f.target)));
  if (f.spec.path.endsWith('roleRef/name')) {
    const roleRef = field(referrer.node, 'roleRef');
    const group = scalarText(field(roleRef, 'apiGroup'));
    const kind = scalarText(field(roleRef, 'kind'));
    if (group !== undefined && kind !== undefined) c = c.filter((r) => r.prevIdsWithGvk().some((id) => gvkSelected(id, { group, kind })));
  }
  const refCur = referrer.curId();
  if (!isClusterScoped(refCur)) {
    const ns = effectiveNamespace(refCur);
    c = c.filter((r) => isClusterScoped(r.curId()) || r.kind === 'ServiceAccount' || effectiveNamespace(r.curId()) === ns);
  }
  if (c.length === 1) return c[0];
  c = c.filter((r) => affixesEqual(r, referrer, true));
  if (c.length > 1) c = c.filter((r) => affixesEqual(r, referrer, false));
  if (c.length === 1) return c[0];
  if (c.length === 0) return undefined;
  if (identical(c)) return c[0];
  return fail('kustomize-build-failed', at, `found multiple possible referrals for ${JSON.stringify(oldName)} in ${f.spec.path} of ${idString(referrer.curId())}: ${c.map((r) => idString(r.curId())).join(', ')}`);
}

function renamedNote(referral: Resource, oldName: string): { uri: string; span: Origin['span']; message: string }[] {
  return referral.renamedBy.map((o) => ({
    ...o,
    message: `kustomize rewrote this reference: ${referral.kind} ${oldName} is ${referral.namespace ? `${referral.namespace}/` : ''}${referral.name} in this build`,
  }));
}

function rewriteScalar(node: KNode, set: (n: KNode) => void, candidates: Resource[], referrer: Resource, f: Filter): void {
  if (node.kind !== 'scalar' || node.value === null) return;
  const old = String(node.value);
  const referral = selectReferral(old, candidates, referrer, f, (rs) => rs.every((r) => r.name === rs[0]!.name), node.origin ?? referrer.source);
  if (!referral || referral.name === old) return;
  const next = kscalar(referral.name, node.origin, node.related ? [...node.related] : undefined);
  for (const n of renamedNote(referral, old)) addRelated(next, n);
  set(next);
}

function rewriteMapping(node: KMap, candidates: Resource[], referrer: Resource, f: Filter): void {
  const nameNode = field(node, 'name');
  if (nameNode === undefined) fail('kustomize-build-failed', node.origin ?? referrer.source, `path config error; no 'name' field in ${f.spec.path} of ${idString(referrer.curId())}`);
  const nsText = scalarText(field(node, 'namespace'));
  let cands = candidates;
  if (field(node, 'namespace') !== undefined) {
    const ns = nsText ?? '';
    const byOrg = candidates.filter((r) => !isClusterScoped(r.curId()) && r.orgNamespace() === ns);
    cands = byOrg.length > 0 ? byOrg : candidates.filter((r) => !isClusterScoped(r.curId()) && effectiveNamespace(r.curId()) === ns);
  }
  const old = scalarText(nameNode) ?? '';
  const referral = selectReferral(old, cands, referrer, f, (rs) => rs.every((r) => r.name === rs[0]!.name && r.namespace === rs[0]!.namespace), nameNode.origin ?? referrer.source);
  if (!referral) return;
  if (referral.name === old && referral.namespace === '') return;
  const notes = renamedNote(referral, old);
  const name = kscalar(referral.name, nameNode.origin, nameNode.related ? [...nameNode.related] : undefined);
  for (const n of notes) addRelated(name, n);
  setField(node, 'name', name);
  if (referral.namespace === '') return;
  const oldNs = field(node, 'namespace');
  const ns = kscalar(referral.namespace, oldNs?.origin ?? nameNode.origin);
  for (const n of notes) addRelated(ns, n);
  setField(node, 'namespace', ns, nameNode.origin);
}

export function fixNameReferences(resources: Resource[], config: TransformerConfig): void {
  // Referrer specs by kind (most name one), so each object only meets the specs that can select it.
  const byKind = new Map<string, Filter[]>();
  for (const back of config.nameReference) {
    for (const spec of back.referrers) {
      let list = byKind.get(spec.kind);
      if (!list) byKind.set(spec.kind, (list = []));
      list.push({ spec, target: back.target });
    }
  }
  const cluster = new Map<Resource, boolean>();
  const ns = new Map<Resource, string>();
  for (const r of resources) {
    const id = r.curId();
    cluster.set(r, isClusterScoped(id));
    ns.set(r, effectiveNamespace(id));
  }
  const ids: Ids = { cluster, ns };
  for (const r of resources) {
    const org = r.orgId();
    const list = [...(byKind.get(org.kind) ?? []), ...(byKind.get('') ?? [])].filter((f) => gvkSelected(org, f.spec));
    if (list.length === 0) continue;
    const candidates = couldBeReferencedBy(resources, r, ids).filter((c) => c.prevIds.length > 0);
    if (candidates.length === 0) continue;
    const g = r.gvk;
    for (const f of list) {
      visitSpec(r.node, { ...f.spec, group: g.group, version: g.version, kind: g.kind, create: false }, undefined, undefined, (slot) => {
        const node = slot.get();
        if (node.kind === 'scalar') rewriteScalar(node, (n) => slot.set(n), candidates, r, f);
        else if (node.kind === 'map') rewriteMapping(node, candidates, r, f);
        else {
          node.items.forEach((it, i) => {
            if (it.kind === 'scalar') rewriteScalar(it, (n) => { node.items[i] = n; }, candidates, r, f);
            else if (it.kind === 'map') rewriteMapping(it, candidates, r, f);
          });
        }
      });
    }
  }
}
