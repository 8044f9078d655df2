import type { Origin, RenderProblem } from '../render/types';
import { resolvePath } from './files';
import type { Kustomization } from './kustomization';
import { loadFile, parseFile, type BuildContext } from './load';
import { fail, problem } from './problems';
import { idString, type ResId, type Resource } from './resource';
import { idSelectedBy, matchesRequirements, parseLabelSelector } from './selectors';
import { addRelated, clone, field, kmap, kscalar, kseq, scalarText, stringMap, type KMap, type KNode } from './tree';

/**
 * `replacements`: copy a field of one object into fields of others (inline, or from `path:` files).
 * Kustomize selects sources and targets by exact kind, name and namespace over current and
 * previous ids; target field paths use `.`, `[key=regex]`, indexes and `*`, with optional `create`.
 */

interface Sel extends Partial<ResId> {
  readonly labelSelector?: string;
  readonly annotationSelector?: string;
}

function readSel(n: KNode | undefined): Sel {
  const s = (k: string) => scalarText(field(n, k));
  const out: Record<string, string> = {};
  for (const k of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector']) {
    const v = s(k);
    if (v !== undefined) out[k] = v;
  }
  return out as Sel;
}

function ids(r: Resource): { id: ResId; prev: boolean }[] {
  return [{ id: r.curId(), prev: false }, ...r.prevIdsWithGvk().map((id) => ({ id, prev: true }))];
}

function selectedById(r: Resource, sel: Sel): boolean {
  return ids(r).some(({ id }) => idSelectedBy(id, sel));
}

function labelsMatch(r: Resource, sel: Sel, at: Origin): boolean {
  for (const [key, text] of [['labels', sel.labelSelector], ['annotations', sel.annotationSelector]] as const) {
    if (!text) continue;
    const reqs = parseLabelSelector(text);
    if (!reqs) fail('kustomize-build-failed', at, `invalid ${key} selector ${JSON.stringify(text)} in a replacement`);
    if (!matchesRequirements(reqs, stringMap(field(field(r.node, 'metadata'), key)))) return false;
  }
  return true;
}

/** Splits a replacement field path on `.`, keeping bracketed parts whole (kyaml's SmarterPathSplitter). */
export function splitFieldPath(path: string): string[] {
  const raw = path.split('.');
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const part = raw[i]!;
    if (part.startsWith('[') && !part.endsWith(']')) {
      const parts = [part];
      while (i < raw.length - 1) {
        i++;
        parts.push(raw[i]!);
        if (raw[i]!.endsWith(']')) break;
      }
      const joined = parts.join('.');
      out.push(joined.includes('=') ? joined : joined.replace(/^\[+|\]+$/g, ''));
    } else out.push(part);
  }
  return out;
}

/** The source value: plain lookup with `[key=value]` matching exactly and numeric indexes. */
function lookupSource(node: KNode, path: readonly string[]): KNode | undefined {
  let cur: KNode | undefined = node;
  for (const part of path) {
    if (!cur) return undefined;
    if (/^\d+$/.test(part)) cur = cur.kind === 'seq' ? cur.items[Number(part)] : undefined;
    else if (part === '-') cur = cur.kind === 'seq' ? cur.items[cur.items.length - 1] : undefined;
    else if (part.startsWith('[') && part.endsWith(']')) {
      const [k, v] = part.slice(1, -1).split(/=(.*)/s) as [string, string];
      cur = cur.kind === 'seq' ? cur.items.find((it) => (k === '' ? scalarText(it) === v : scalarText(field(it, k)) === v)) : undefined;
    } else cur = field(cur, part);
  }
  return cur;
}

type Hit = { get(): KNode; set(n: KNode): void };

/** Scalars a target path created: they take the type their new text reads as (kyaml leaves them untagged). */
const created = new WeakSet<KNode>();

function resolvePlain(text: string): string | number | boolean | null {
  if (/^(null|Null|NULL|~|)$/.test(text)) return null;
  if (/^(true|True|TRUE|false|False|FALSE)$/.test(text)) return /^t/i.test(text);
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(text) || /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  return text;
}

/** Kyaml's PathMatcher: all fields a target path designates (regex element matching), creating if asked. */
function matchTargets(node: KNode, path: readonly string[], create: boolean, createKind: 'map' | 'seq' | 'scalar', origin: Origin): Hit[] {
  const out: Hit[] = [];
  const kindFor = (next: string | undefined): 'map' | 'seq' | 'scalar' =>
    next === undefined ? createKind : /^\[.*\]$/.test(next) || /^\d+$/.test(next) ? 'seq' : 'map';
  const make = (k: 'map' | 'seq' | 'scalar'): KNode => {
    const n = k === 'map' ? kmap([], origin) : k === 'seq' ? kseq([], origin) : kscalar(null, origin);
    created.add(n);
    return n;
  };
  const walk = (hit: Hit, i: number): void => {
    const n = hit.get();
    if (i === path.length) {
      out.push(hit);
      return;
    }
    const part = path[i]!;
    if (/^\d+$/.test(part)) {
      if (n.kind !== 'seq') return;
      const idx = Number(part);
      if (idx === n.items.length && create) n.items.push(make(kindFor(path[i + 1])));
      if (idx >= n.items.length) fail('kustomize-build-failed', origin, `index ${idx} specified but only ${n.items.length} elements found`);
      walk({ get: () => n.items[idx]!, set: (v) => { n.items[idx] = v; } }, i + 1);
      return;
    }
    if (part.startsWith('[') && part.endsWith(']')) {
      if (n.kind !== 'seq') return;
      const eq = part.indexOf('=');
      if (eq < 0) fail('kustomize-build-failed', origin, 'list path element must contain fieldName=fieldValue for element to match');
      const key = part.slice(1, eq);
      let re: RegExp;
      try {
        re = new RegExp(part.slice(eq + 1, -1));
      } catch {
        return fail('kustomize-build-failed', origin, `invalid regular expression in ${part}`);
      }
      let any = false;
      n.items.forEach((it, j) => {
        const v = key === '' ? scalarText(it) : scalarText(field(it, key));
        if (v === undefined || !re.test(v.trim())) return;
        any = true;
        walk({ get: () => n.items[j]!, set: (x) => { n.items[j] = x; } }, i + 1);
      });
      if (!any && create) {
        const value = part.slice(eq + 1, -1);
        n.items.push(key === '' ? kscalar(value, origin) : kmap([{ key, keyOrigin: origin, value: kscalar(value, origin) }], origin));
        const j = n.items.length - 1;
        walk({ get: () => n.items[j]!, set: (x) => { n.items[j] = x; } }, i + 1);
      }
      return;
    }
    if (part === '*') {
      if (n.kind !== 'seq') return;
      n.items.forEach((_, j) => walk({ get: () => n.items[j]!, set: (x) => { n.items[j] = x; } }, i + 1));
      return;
    }
    if (n.kind !== 'map') {
      if (n.kind === 'seq') fail('kustomize-build-failed', origin, `wrong node kind: expected MappingNode but got SequenceNode at ${part}`);
      return;
    }
    let e = n.entries.find((x) => x.key === part);
    if (!e) {
      if (!create) return;
      e = { key: part, keyOrigin: origin, value: make(kindFor(path[i + 1])) };
      n.entries.push(e);
    }
    const entry = e;
    walk({ get: () => entry.value, set: (v) => { entry.value = v; } }, i + 1);
  };
  walk({ get: () => node, set: () => undefined }, 0);
  return out;
}

function options(n: KNode | undefined): { delimiter: string; index: number; create: boolean } {
  const d = scalarText(field(n, 'delimiter')) ?? '';
  const i = field(n, 'index');
  return { delimiter: d, index: i?.kind === 'scalar' && typeof i.value === 'number' ? i.value : 0, create: scalarText(field(n, 'create')) === 'true' };
}

function applyOne(resources: Resource[], rep: KMap, at: Origin, problems: RenderProblem[]): void {
  const source = field(rep, 'source');
  const targets = field(rep, 'targets');
  if (!source || targets?.kind !== 'seq') fail('kustomize-build-failed', rep.origin ?? at, 'replacements must specify a source and at least one target');
  const srcSel = readSel(source);
  const matches = resources.filter((r) => selectedById(r, srcSel));
  const srcAt = source.origin ?? at;
  if (matches.length > 1) fail('kustomize-build-failed', srcAt, `multiple matches for the replacement source (${matches.map((r) => idString(r.curId())).join(', ')})`);
  if (matches.length === 0) fail('kustomize-patch-target-missing', srcAt, `nothing selected by the replacement source ${[srcSel.kind, srcSel.namespace, srcSel.name].filter(Boolean).join(' ')}`);
  const fieldPath = scalarText(field(source, 'fieldPath')) ?? 'metadata.name';
  if (matches[0]!.generated && fieldPath !== 'metadata.name') {
    problems.push(problem('kustomize-not-modelled', srcAt, `The replacement source ${idString(matches[0]!.curId())} is generated, and generated objects are not modelled: the replacement is not applied here.`));
    return;
  }
  const found = lookupSource(matches[0]!.node, splitFieldPath(fieldPath));
  if (!found || (found.kind === 'scalar' && (found.value === null || found.value === '')) || (found.kind !== 'scalar' && (found.kind === 'map' ? found.entries.length === 0 : found.items.length === 0))) {
    fail('kustomize-build-failed', field(source, 'fieldPath')?.origin ?? srcAt, `fieldPath \`${fieldPath}\` is missing for replacement source ${idString(matches[0]!.curId())}`);
  }
  let value: KNode = clone(found);
  const so = options(field(source, 'options'));
  if (so.delimiter) {
    if (value.kind !== 'scalar') fail('kustomize-build-failed', srcAt, 'delimiter option can only be used with scalar nodes');
    const parts = String(value.value).split(so.delimiter);
    if (so.index >= parts.length || so.index < 0) fail('kustomize-build-failed', srcAt, `options.index ${so.index} is out of bounds for value ${String(value.value)}`);
    value = kscalar(parts[so.index]!, value.origin);
  }
  for (const t of targets.items) {
    const select = field(t, 'select');
    const tAt = t.origin ?? at;
    if (!select) fail('kustomize-build-failed', tAt, 'target must specify resources to select');
    const sel = readSel(select);
    const rejects = field(t, 'reject');
    const rejectSels = rejects?.kind === 'seq' ? rejects.items.map(readSel) : [];
    const pathsNode = field(t, 'fieldPaths');
    const paths = pathsNode?.kind === 'seq' ? pathsNode.items.map((p) => ({ path: scalarText(p) ?? '', at: p.origin ?? tAt })) : [{ path: 'metadata.name', at: tAt }];
    const to = options(field(t, 'options'));
    for (const r of resources) {
      if (r.generated) continue;
      if (!labelsMatch(r, sel, tAt)) continue;
      if (rejectSels.some((rj) => (rj.labelSelector || rj.annotationSelector) && labelsMatch(r, rj, tAt))) continue;
      if (!selectedById(r, sel)) continue;
      if (rejectSels.some((rj) => (rj.group || rj.version || rj.kind || rj.name || rj.namespace) && selectedById(r, rj))) continue;
      for (const p of paths) {
        const hits = matchTargets(r.node, splitFieldPath(p.path), to.create, value.kind, p.at);
        if (hits.length === 0) fail('kustomize-build-failed', p.at, `unable to ${to.create ? 'find or create' : 'find'} field "${p.path}" in replacement target ${idString(r.curId())}`);
        for (const h of hits) setValue(h, value, to, p.at, srcAt);
      }
    }
  }
}

function setValue(h: Hit, value: KNode, o: { delimiter: string; index: number }, at: Origin, srcAt: Origin): void {
  const target = h.get();
  let v = clone(value);
  if (o.delimiter) {
    if (target.kind !== 'scalar') fail('kustomize-build-failed', at, 'delimiter option can only be used with scalar nodes');
    const parts = String(target.value ?? '').split(o.delimiter);
    const s = scalarText(v) ?? '';
    if (o.index < 0) parts.unshift(s);
    else if (o.index >= parts.length) parts.push(s);
    else parts[o.index] = s;
    v = kscalar(parts.join(o.delimiter), at);
  }
  if (target.kind === 'scalar' && v.kind === 'scalar') {
    // Kustomize keeps the target's type and replaces its text.
    const text = v.value === null ? '' : String(v.value);
    const typed = created.has(target) ? resolvePlain(text) : typeof target.value === 'number' && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : typeof target.value === 'boolean' && /^(true|false)$/.test(text) ? text === 'true' : text;
    const next = kscalar(typed, at);
    if (value.origin) addRelated(next, { ...value.origin, message: 'the replacement copies the value written here' });
    addRelated(next, { ...srcAt, message: 'replacement source' });
    h.set(next);
    return;
  }
  v.origin = at;
  if (value.origin) addRelated(v, { ...value.origin, message: 'the replacement copies the value written here' });
  h.set(v);
}

/** Applies the kustomization's replacements in order. */
export function applyReplacements(ctx: BuildContext, k: Kustomization, resources: Resource[]): void {
  for (const item of k.replacements) {
    const at = item.origin ?? k.keyAt('replacements');
    const pathNode = field(item, 'path');
    const path = scalarText(pathNode);
    if (path !== undefined && path !== '') {
      if (field(item, 'source') || field(item, 'targets')) fail('kustomize-build-failed', at, 'cannot specify both path and inline replacement');
      const uri = resolvePath(k.dir, path) ?? k.dir;
      const text = loadFile(ctx, uri, k.dir, pathNode?.origin ?? at, 'replacement file');
      const doc = parseFile(ctx, uri, text).docs[0]?.node;
      if (doc?.kind === 'seq') for (const r of doc.items) applyOne(resources, r.kind === 'map' ? r : kmap([], r.origin), r.origin ?? at, ctx.problems);
      else if (doc?.kind === 'map') applyOne(resources, doc, doc.origin ?? at, ctx.problems);
      else fail('kustomize-build-failed', pathNode?.origin ?? at, `unsupported replacement type in ${path}: expected a list or a mapping`);
      continue;
    }
    applyOne(resources, item.kind === 'map' ? item : kmap([], item.origin), at, ctx.problems);
  }
}
