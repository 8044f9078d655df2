import type { Origin } from '../render/types';
import { resolvePath } from './files';
import { applyJsonPatch, JsonPatchError, readOps, type JsonOp } from './jsonpatch';
import type { Kustomization, PatchEntry, Str } from './kustomization';
import { loadFile, parseEmbedded, parseFile, type BuildContext } from './load';
import { fail, problem } from './problems';
import { idString, Resource, type ResId } from './resource';
import { describeSelector, readSelector, selectResources, type Selector } from './selectors';
import { MergeError, strategicMerge } from './smp';
import { clone, field, setField, type KMap, type KNode } from './tree';
import type { YamlFile } from './parse';

/**
 * The patch text of an entry (`patch:` inline or `path:` file), parsed with its source lines: as
 * YAML 1.2 for strategic merge (kyaml), as YAML 1.1 for JSON patches (kustomize converts those with
 * go-yaml v2, where `yes` is true).
 */
function patchText(ctx: BuildContext, k: Kustomization, e: PatchEntry, what: string, version: '1.1' | '1.2' = '1.2'): { parsed: YamlFile; raw: string; at: Origin } {
  if (e.patch && e.path) fail('kustomize-patch-invalid', e.at, `${what}: patch and path can't be set at the same time`);
  if (!e.patch && !e.path) fail('kustomize-patch-invalid', e.at, `${what}: must specify one of patch and path`);
  if (e.patch) return { parsed: parseEmbedded(k.text, e.patch.node, k.uri, version), raw: e.patch.value.trim(), at: e.patch.at };
  const uri = resolvePath(k.dir, e.path!.value) ?? k.dir;
  const text = loadFile(ctx, uri, k.dir, e.path!.at, 'patch file');
  return { parsed: ctx.cache.parse(uri, text, version), raw: text, at: e.path!.at };
}

function mapDocs(parsed: YamlFile): KMap[] | undefined {
  const docs = parsed.docs.map((d) => d.node).filter((n): n is KNode => n !== undefined && !(n.kind === 'scalar' && n.value === null));
  return docs.every((d) => d.kind === 'map') ? (docs as KMap[]) : undefined;
}

function patchId(p: KMap): ResId {
  const r = new Resource(p, p.origin ?? { uri: '', span: { start: 0, end: 0 } });
  return r.curId();
}

interface SmOptions {
  readonly allowNameChange: boolean;
  readonly allowKindChange: boolean;
}

/** Kustomize's Resource.ApplySmPatch: merge, then restore kind, name and namespace unless allowed. */
function applySm(resources: Resource[], r: Resource, patch: KMap, opts: SmOptions, at: Origin): void {
  if (r.generated) return; // generated objects are not modelled: their content is unknown
  const p = clone(patch);
  const apiVersion = field(r.node, 'apiVersion');
  if (apiVersion) setField(p, 'apiVersion', apiVersion);
  const meta = field(r.node, 'metadata');
  const oldName = field(meta, 'name');
  const oldNs = field(meta, 'namespace');
  const oldKind = field(r.node, 'kind');
  if (opts.allowNameChange || opts.allowKindChange) r.storePreviousId();
  let merged: KMap | undefined;
  try {
    merged = strategicMerge(r.node, p, r.apiVersion, r.kind);
  } catch (e) {
    if (e instanceof MergeError) fail('kustomize-patch-invalid', e.at?.origin ?? at, `strategic merge patch on ${idString(r.curId())}: ${e.message}`);
    throw e;
  }
  if (!merged) {
    resources.splice(resources.indexOf(r), 1);
    return;
  }
  r.node = merged;
  if (!opts.allowKindChange && oldKind) setField(r.node, 'kind', oldKind);
  const m = field(r.node, 'metadata');
  if (m?.kind === 'map') {
    if (!opts.allowNameChange && oldName) setField(m, 'name', oldName);
    if (oldNs) setField(m, 'namespace', oldNs);
    else m.entries = m.entries.filter((e) => e.key !== 'namespace');
  }
}

function findById(ctx: BuildContext, resources: Resource[], p: KMap, at: Origin): Resource | undefined {
  const id = patchId(p);
  const found = resources.filter((r) => r.matchesAnyId(id));
  if (found.length > 1) fail('kustomize-build-failed', at, `multiple matches for the patch of ${idString(id)}: ${found.map((r) => idString(r.curId())).join(', ')}`);
  if (found.length === 0) {
    if (ctx.incomplete) {
      ctx.problems.push(problem('kustomize-not-modelled', at, `No object matches the patch of ${idString(id)}; it may come from a generator, a Helm chart or a remote base, which are not modelled, so the patch is not applied here.`));
      return undefined;
    }
    fail('kustomize-patch-target-missing', at, `no resource matches strategic merge patch ${idString(id)}: nothing with that kind, name and namespace (before or after renames) is among the resources`);
  }
  return found[0];
}

function noMatch(ctx: BuildContext, sel: Selector, at: Origin, what: string): void {
  const maybe = ctx.incomplete ? ' (objects from generators, Helm charts or remote bases are not modelled, so it may still match in kustomize)' : '';
  ctx.problems.push(problem('kustomize-patch-matches-nothing', at, `This ${what} selects nothing (${describeSelector(sel)}), so kustomize silently skips it${maybe}.`));
}

function jsonOps(parsed: YamlFile, raw: string, at: Origin): JsonOp[] {
  if (parsed.error) fail('kustomize-patch-invalid', { uri: at.uri, span: parsed.error.span }, `invalid JSON patch: ${parsed.error.message}`);
  const doc = parsed.docs.find((d) => d.node !== undefined)?.node;
  if (!doc && raw.trim() === '') fail('kustomize-patch-invalid', at, 'empty json patch operations');
  const ops = readOps(doc, at);
  if (typeof ops === 'string') fail('kustomize-patch-invalid', at, `invalid JSON patch: ${ops}`);
  return ops;
}

function applyOps(r: Resource, ops: JsonOp[]): void {
  try {
    applyJsonPatch(r.node, ops);
  } catch (e) {
    if (e instanceof JsonPatchError) fail('kustomize-patch-invalid', e.at, `JSON patch on ${idString(r.curId())}: ${e.message}`);
    throw e;
  }
}

/** `patchesStrategicMerge`: inline YAML or files; each patch finds its target by kind, name and namespace. */
export function applyPatchesStrategicMerge(ctx: BuildContext, k: Kustomization, resources: Resource[]): void {
  for (const s of k.patchesStrategicMerge) {
    const docs = strategicDocs(ctx, k, s);
    if (docs.length === 0) fail('kustomize-patch-invalid', s.at, 'patch appears to be empty');
    for (const p of docs) {
      const target = findById(ctx, resources, p, p.origin ?? s.at);
      if (target) applySm(resources, target, p, { allowNameChange: false, allowKindChange: false }, p.origin ?? s.at);
    }
  }
}

function strategicDocs(ctx: BuildContext, k: Kustomization, s: Str): KMap[] {
  if (s.value.includes('\n') || /^\s*(apiVersion|kind|metadata)\s*:/.test(s.value)) {
    const inline = parseEmbedded(k.text, s.node, k.uri);
    const docs = !inline.error ? mapDocs(inline) : undefined;
    if (docs) return docs;
  }
  const uri = resolvePath(k.dir, s.value) ?? k.dir;
  const text = loadFile(ctx, uri, k.dir, s.at, 'patch file');
  const parsed = parseFile(ctx, uri, text);
  const docs = mapDocs(parsed);
  if (!docs) fail('kustomize-patch-invalid', s.at, `${s.value} is not a strategic merge patch (its documents are not YAML mappings)`);
  return docs;
}

/** `patches`: strategic merge or JSON 6902, told apart as kustomize does, with an optional target. */
export function applyPatches(ctx: BuildContext, k: Kustomization, resources: Resource[]): void {
  for (const e of k.patches) {
    const { parsed, raw, at } = patchText(ctx, k, e, 'patches');
    const sm = !parsed.error ? mapDocs(parsed) : undefined;
    const firstDoc = parsed.docs.find((d) => d.node !== undefined)?.node;
    const isJson = !parsed.error && firstDoc?.kind === 'seq';
    if (!sm && !isJson) {
      if (parsed.error) fail('kustomize-patch-invalid', { uri: parsed.docs[0]?.node?.origin?.uri ?? at.uri, span: parsed.error.span }, `unable to parse SM or JSON patch: ${parsed.error.message}`);
      fail('kustomize-patch-invalid', at, 'unable to parse SM or JSON patch: it is neither YAML objects nor a list of JSON patch operations');
    }
    const sel = e.target ? readSelector(e.target, e.at) : undefined;
    if (sm && !isJson) {
      const opts = { allowNameChange: e.options.get('allowNameChange') === true, allowKindChange: e.options.get('allowKindChange') === true };
      if (sel) {
        if (sm.length > 1) fail('kustomize-patch-invalid', at, 'Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field');
        const patch = sm[0];
        if (!patch) continue;
        const selected = selectResources(resources, sel);
        if (selected.length === 0) noMatch(ctx, sel, e.target?.origin ?? e.at, 'patch target');
        for (const r of selected) applySm(resources, r, patch, opts, patch.origin ?? at);
      } else {
        for (const p of sm) {
          const target = findById(ctx, resources, p, p.origin ?? at);
          if (target) applySm(resources, target, p, opts, p.origin ?? at);
        }
      }
      continue;
    }
    if (!sel) fail('kustomize-patch-invalid', e.at, 'must specify a target for a JSON patch');
    const ops = jsonOps(patchText(ctx, k, e, 'patches', '1.1').parsed, raw, at);
    const selected = selectResources(resources, sel);
    if (selected.length === 0) noMatch(ctx, sel, e.target?.origin ?? e.at, 'patch target');
    for (const r of selected) {
      r.storePreviousId();
      if (!r.generated) applyOps(r, ops);
    }
  }
}

/** `patchesJson6902`: JSON patches with a target that must name the object. */
export function applyPatchesJson6902(ctx: BuildContext, k: Kustomization, resources: Resource[]): void {
  for (const e of k.patchesJson6902) {
    const sel = readSelector(e.target, e.at);
    if (!sel.name) fail('kustomize-patch-invalid', e.target?.origin ?? e.at, 'patchesJson6902: must specify the target name');
    const { parsed, raw, at } = patchText(ctx, k, e, 'patchesJson6902', '1.1');
    const ops = jsonOps(parsed, raw, at);
    if (ops.length === 0) fail('kustomize-patch-invalid', at, 'patch appears to be empty');
    const selected = selectResources(resources, sel);
    if (selected.length === 0) noMatch(ctx, sel, e.target?.origin ?? e.at, 'patchesJson6902 target');
    for (const r of selected) if (!r.generated) applyOps(r, ops);
  }
}

