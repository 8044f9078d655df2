import type { Origin } from '../render/types';
import { visitSpec, type FieldSpec } from './fieldSpecs';
import { fail } from './problems';
import { gvkSelected, idKey, idString, isClusterScoped, type Resource } from './resource';
import { addRelated, field, isNull, kscalar, scalarText, type KMap, type KNode } from './tree';
import type { Pair, Str } from './kustomization';
import type { Slot } from './fieldSpecs';

/**
 * Kustomize's built-in transformers that rename, move, label and scale objects, with the field specs
 * of its configuration. Every value they write carries the kustomization line that asked for it.
 */

function setScalar(slot: Slot, value: string | number, origin: Origin, why: string): void {
  const old = slot.get();
  const next = kscalar(value, origin, old.related ? [...old.related] : undefined);
  if (old.kind === 'scalar' && old.origin && old.value !== null && old.value !== '' && String(old.value) !== String(value)) {
    addRelated(next, { ...old.origin, message: `${why} ${JSON.stringify(String(old.value))} written here` });
  }
  slot.set(next);
}

export function namespaceTransform(resources: Resource[], ns: Str, at: Origin, specs: readonly FieldSpec[]): void {
  // How many objects hold each current id: one object's transform changes only its own id.
  const holders = new Map<string, number>();
  const count = (key: string, by: number) => holders.set(key, (holders.get(key) ?? 0) + by);
  for (const o of resources) count(idKey(o.curId()), 1);
  for (const r of resources) {
    if (r.node.entries.length === 0) continue;
    const before = idKey(r.curId());
    r.storePreviousId();
    const gvk = r.gvk;
    if (!isClusterScoped(gvk)) {
      visitSpec(r.node, { group: '', version: '', kind: '', path: 'metadata/namespace', create: true }, 'scalar', at, (slot) => {
        setScalar(slot, ns.value, at, 'namespace replaces');
      });
      r.renamedBy.push(at);
    }
    const roleBinding = gvk.kind === 'RoleBinding' || gvk.kind === 'ClusterRoleBinding';
    if (roleBinding) {
      const subjects = field(r.node, 'subjects');
      if (subjects?.kind === 'seq') {
        for (const s of subjects.items) {
          if (s.kind !== 'map' || scalarText(field(s, 'name')) !== 'default') continue;
          visitSpec(s, { group: '', version: '', kind: '', path: 'namespace', create: true }, 'scalar', at, (slot) => setScalar(slot, ns.value, at, 'namespace replaces'));
        }
      }
    }
    for (const fs of specs) {
      if (fs.path === 'metadata/namespace') continue;
      if (r.apiVersion !== 'v1' && fs.path === 'metadata/name') continue;
      if (roleBinding && fs.path === 'subjects/namespace' && (fs.kind === 'RoleBinding' || fs.kind === 'ClusterRoleBinding')) continue;
      visitSpec(r.node, fs, 'scalar', at, (slot) => setScalar(slot, ns.value, at, 'namespace replaces'));
    }
    const cur = r.curId();
    const after = idKey(cur);
    if (after !== before) {
      count(before, -1);
      count(after, 1);
    }
    if (holders.get(after) !== 1) {
      fail('kustomize-build-failed', at, `namespace transformation produces an id conflict: two objects become ${idString(cur)}`);
    }
  }
}

const RENAME_SKIPPED = [{ kind: 'CustomResourceDefinition' }, { group: 'apiregistration.k8s.io', kind: 'APIService' }, { kind: 'Namespace' }];

/** namePrefix / nameSuffix (kustomize skips CRDs, APIServices and Namespaces). */
export function renameTransform(resources: Resource[], affix: Str, at: Origin, specs: readonly FieldSpec[], mode: 'prefix' | 'suffix'): void {
  for (const r of resources) {
    const org = r.orgId();
    if (RENAME_SKIPPED.some((s) => gvkSelected(org, s))) continue;
    for (const fs of specs) {
      if (!gvkSelected(org, fs)) continue;
      if (fs.path === 'metadata/name') {
        (mode === 'prefix' ? r.prefixes : r.suffixes).push(affix.value);
        r.storePreviousId();
        r.renamedBy.push(at);
      }
      visitSpec(r.node, fs, 'scalar', at, (slot) => {
        const old = slot.get();
        const text = scalarText(old) ?? '';
        const renamed = mode === 'prefix' ? `${affix.value}${text}` : `${text}${affix.value}`;
        // The name stays on the line that names the object (where a finding about the object, or a
        // related location pointing at it, should lead); the kustomization line that renamed it is related.
        const next = kscalar(renamed, old.origin ?? at, old.related ? [...old.related] : undefined);
        if (old.origin) addRelated(next, { ...at, message: `${mode === 'prefix' ? 'namePrefix' : 'nameSuffix'} makes it ${JSON.stringify(renamed)}` });
        slot.set(next);
      });
    }
  }
}

function isServiceSelectorEmpty(r: Resource): boolean {
  if (r.kind !== 'Service') return false;
  const sel = field(field(r.node, 'spec'), 'selector');
  return sel === undefined || isNull(sel) || (sel.kind === 'map' && sel.entries.length === 0);
}

/** Sets labels (or annotations) on the fields of the specs, creating maps where the specs say so. */
export function labelTransform(resources: Resource[], pairs: readonly Pair[], specs: readonly FieldSpec[], at: Origin, what: 'label' | 'annotation'): void {
  if (pairs.length === 0) return;
  const sorted = [...pairs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const r of resources) {
    const hadNoSelector = what === 'label' && isServiceSelectorEmpty(r);
    for (const p of sorted) {
      for (const fs of specs) {
        visitSpec(r.node, fs, 'map', at, (slot) => {
          const m = slot.get();
          if (m.kind !== 'map') fail('kustomize-build-failed', at, `cannot set ${what} ${p.key} on ${idString(r.curId())}: ${fs.path} is not a mapping`);
          setEntry(m, p);
        });
      }
    }
    if (hadNoSelector && !isServiceSelectorEmpty(r)) r.selectorAddedBy.push(at);
  }
}

function setEntry(m: KMap, p: Pair): void {
  const e = m.entries.find((x) => x.key === p.key);
  const value: KNode = kscalar(p.value, p.at);
  if (e) {
    if (e.value.kind === 'scalar' && e.value.origin && String(e.value.value) !== p.value) {
      addRelated(value, { ...e.value.origin, message: `replaces ${JSON.stringify(scalarText(e.value) ?? '')} written here` });
    }
    e.value = value;
  } else {
    m.entries.push({ key: p.key, keyOrigin: p.at, value });
  }
}

export interface ReplicaEntry {
  readonly name: string;
  readonly count: number;
  readonly at: Origin;
  readonly countAt: Origin;
}

export function replicaTransform(resources: Resource[], rep: ReplicaEntry, specs: readonly FieldSpec[]): void {
  let found = false;
  for (const fs of specs) {
    const matched = resources.filter((r) => [r.curId(), ...r.prevIdsWithGvk()].some((id) => id.name === rep.name && gvkSelected(id, fs)));
    if (matched.length === 0) continue;
    found = true;
    for (const r of matched) visitSpec(r.node, fs, 'scalar', rep.countAt, (slot) => setScalar(slot, rep.count, rep.countAt, 'replicas replaces'));
  }
  if (!found) {
    fail('kustomize-build-failed', rep.at, `replicas: no object named ${rep.name} of a kind with replicas (${specs.map((s) => s.kind).join(', ')})`);
  }
}
