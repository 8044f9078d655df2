import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KustomizeRender } from '../../server/src/core/kustomize';

/**
 * The differential test's half that is not the engine: running the real kustomize (`kubectl
 * kustomize`), projecting objects onto the fields the rules read, and classifying failures by cause.
 */

export type Obj = Record<string, unknown>;

export type KustomizeRun = { readonly ok: true; readonly objects: Obj[] } | { readonly ok: false; readonly error: string };

/** `kubectl kustomize DIR` with a clean environment and a timeout. */
export function runKustomize(kubectl: string, dir: string): KustomizeRun {
  const home = path.join(os.tmpdir(), 'kt-oracle-home');
  mkdirSync(home, { recursive: true });
  const r = spawnSync(kubectl, ['kustomize', dir], {
    env: { PATH: '/usr/bin:/bin', HOME: home, KUBECONFIG: path.join(home, 'none') },
    encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`kubectl kustomize ${dir}: ${r.error.message}`);
  if (r.status !== 0) return { ok: false, error: (r.stderr || r.stdout).trim() };
  return { ok: true, objects: parseObjects(r.stdout) };
}

export function parseObjects(text: string): Obj[] {
  return parseAllDocuments(text).map((d) => d.toJS() as unknown).filter((o): o is Obj => typeof o === 'object' && o !== null && !Array.isArray(o));
}

/** The engine's documents, parsed back from their text (as the analyzer will parse them). */
export function renderedObjects(r: KustomizeRender): Obj[] {
  return (r.documents ?? []).flatMap((d) => parseObjects(d.text));
}

function get(o: unknown, ...keys: string[]): unknown {
  let cur = o;
  for (const k of keys) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[k];
  }
  return cur;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function pick(o: unknown, keys: readonly string[]): Obj | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const out: Obj = {};
  for (const k of keys) if ((o as Obj)[k] !== undefined) out[k] = (o as Obj)[k];
  return out;
}

function podTemplate(o: Obj): unknown {
  return o.kind === 'CronJob' ? get(o, 'spec', 'jobTemplate', 'spec', 'template') : o.kind === 'Pod' ? o : get(o, 'spec', 'template');
}

function containers(spec: unknown, key: string): unknown {
  const cs = list(get(spec, key));
  if (cs.length === 0) return undefined;
  return cs.map((c) => ({ name: get(c, 'name'), ports: list(get(c, 'ports')).map((p) => pick(p, ['name', 'containerPort', 'protocol'])) }));
}

function backend(b: unknown): unknown {
  if (b === undefined) return undefined;
  return { service: pick(get(b, 'service'), ['name', 'port']), serviceName: get(b, 'serviceName'), servicePort: get(b, 'servicePort'), resource: get(b, 'resource') };
}

const ROUTES = new Set(['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute']);

/** The fields the rules read, normalized (undefined fields dropped). */
export function project(o: Obj): Obj {
  const spec = get(o, 'spec');
  const tpl = podTemplate(o);
  const p: Obj = {
    apiVersion: o.apiVersion, kind: o.kind, namespace: get(o, 'metadata', 'namespace'), name: get(o, 'metadata', 'name'),
    labels: get(o, 'metadata', 'labels'),
  };
  if (o.kind === 'Service') {
    Object.assign(p, {
      type: get(spec, 'type'), selector: get(spec, 'selector'), clusterIP: get(spec, 'clusterIP'),
      ports: list(get(spec, 'ports')).map((x) => pick(x, ['name', 'port', 'targetPort', 'nodePort', 'protocol'])),
    });
  }
  if (tpl !== undefined && o.kind !== 'Pod') {
    const sel = o.kind === 'CronJob' ? get(o, 'spec', 'jobTemplate', 'spec', 'selector') : get(spec, 'selector');
    Object.assign(p, {
      selector: pick(sel, ['matchLabels', 'matchExpressions']) ?? sel,
      templateLabels: get(tpl, 'metadata', 'labels'), replicas: get(spec, 'replicas'), serviceName: get(spec, 'serviceName'),
    });
  }
  if (tpl !== undefined) Object.assign(p, { containers: containers(get(tpl, 'spec'), 'containers'), initContainers: containers(get(tpl, 'spec'), 'initContainers') });
  if (o.kind === 'Ingress') {
    Object.assign(p, {
      ingressClassName: get(spec, 'ingressClassName'), defaultBackend: backend(get(spec, 'defaultBackend') ?? get(spec, 'backend')),
      rules: list(get(spec, 'rules')).map((r) => ({ host: get(r, 'host'), paths: list(get(r, 'http', 'paths')).map((x) => ({ path: get(x, 'path'), backend: backend(get(x, 'backend')) })) })),
    });
  }
  if (ROUTES.has(String(o.kind))) {
    Object.assign(p, {
      parentRefs: list(get(spec, 'parentRefs')).map((x) => pick(x, ['group', 'kind', 'name', 'namespace', 'sectionName', 'port'])),
      backendRefs: list(get(spec, 'rules')).map((r) => list(get(r, 'backendRefs')).map((x) => pick(x, ['group', 'kind', 'name', 'namespace', 'port', 'weight']))),
    });
  }
  if (o.kind === 'HorizontalPodAutoscaler') p.scaleTargetRef = get(spec, 'scaleTargetRef');
  if (o.kind === 'NetworkPolicy') p.podSelector = get(spec, 'podSelector');
  if (o.kind === 'PodDisruptionBudget') p.selector = get(spec, 'selector');
  return canonical(p) as Obj;
}

/** Deep copy with map keys sorted (kustomize sorts keys; the engine keeps the files' order). */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v !== 'object' || v === null) return v;
  const out: Obj = {};
  for (const k of Object.keys(v).sort()) if ((v as Obj)[k] !== undefined) out[k] = canonical((v as Obj)[k]);
  return out;
}

export function objectKey(o: Obj): string {
  return `${String(o.kind)} ${String(get(o, 'metadata', 'namespace') ?? '')}/${String(get(o, 'metadata', 'name'))}`;
}

/** Kinds kustomize generates that the engine keeps out of its render (generators are not modelled). */
const GENERATED = new Set(['ConfigMap', 'Secret']);

export interface Comparison {
  readonly compared: number;
  readonly excluded: string[];
  readonly mismatches: string[];
  /** Objects whose every field is equal too (not only the projection). */
  readonly identical: number;
}

/**
 * Compares object by object (matched by kind, namespace and name): the projection must be equal.
 * Whole objects are compared too and counted; without generators (whose hashed names kustomize
 * writes into references) they must be equal as well.
 */
export function compareObjects(ours: Obj[], theirs: Obj[], generators: boolean): Comparison {
  const mine = new Map(ours.map((o) => [objectKey(o), o]));
  const mismatches: string[] = [];
  const excluded: string[] = [];
  let compared = 0;
  let identical = 0;
  for (const t of theirs) {
    const key = objectKey(t);
    const o = mine.get(key);
    mine.delete(key);
    if (!o) {
      if (generators && GENERATED.has(String(t.kind))) excluded.push(key);
      else mismatches.push(`${key}: in kustomize's output only`);
      continue;
    }
    compared++;
    const a = JSON.stringify(project(o));
    const b = JSON.stringify(project(t));
    if (a !== b) mismatches.push(`${key}:\n    ours:      ${a}\n    kustomize: ${b}`);
    const fa = JSON.stringify(canonical(o));
    const fb = JSON.stringify(canonical(t));
    if (fa === fb) identical++;
    else if (a === b && !generators) mismatches.push(`${key} (whole object):\n    ours:      ${fa}\n    kustomize: ${fb}`);
  }
  for (const key of mine.keys()) mismatches.push(`${key}: in our render only`);
  return { compared, excluded, mismatches, identical };
}

/** Failure causes recognised in both kustomize's and the engine's messages. */
const CAUSES: readonly (readonly [string, RegExp])[] = [
  ['cycle', /cycle detected|cycle of kustomizations/],
  ['invalid-kustomization', /invalid Kustomization|kustomization\.yaml is empty|kind should be|apiVersion for/],
  ['outside-root', /is not in or below/],
  ['patch-target-missing', /no resource matches strategic merge patch|failed to find unique target for patch|nothing selected by the replacement source|nothing selected by/],
  ['patch-invalid', /operation does not apply|Unexpected kind|unable to parse SM or JSON patch|Unable to (remove|access)|testing value .* failed|must specify a target for a? ?JSON patch/],
  ['duplicate-id', /already registered id|ID conflict|id conflict|end up as/],
  ['replicas-target-missing', /does not match a config with the following GVK|^replicas: no object named/],
  ['component-kind', /expected kind '?Component'?|expected kind != 'Component'/],
  ['not-an-object', /missing Resource metadata|missing kind in object|missing metadata\.name|not a YAML mapping/],
  ['several-kustomizations', /[Ff]ound multiple kustomization files/],
  ['missing', /no such file or directory|unable to find one of|evalsymlink failure|must build at directory|does not exist/],
];

/** The cause of a kustomize failure, from its message (`other` when not recognised). */
export function kustomizeCause(error: string): string {
  return CAUSES.find(([, re]) => re.test(error))?.[0] ?? 'other';
}

/** The cause of an engine failure, in the same terms. */
export function engineCause(r: KustomizeRender): string {
  const p = r.problems.find((x) => x.severity === 'error');
  if (!p) return 'none';
  switch (p.code) {
    case 'kustomize-cycle': return 'cycle';
    case 'kustomize-resource-missing': return 'missing';
    case 'kustomize-patch-invalid': return 'patch-invalid';
    default: return CAUSES.find(([, re]) => re.test(p.message))?.[0] ?? 'other';
  }
}
