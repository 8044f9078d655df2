import type { Origin, RenderedDocument, RenderProblem, VariantRender } from '../render/types';
import { buildDirectory, checkUniqueIds } from './build';
import { emitDocument } from './emit';
import { displayPath, relativePath, type KustomizeFiles } from './files';
import { fixNameReferences } from './nameref';
import type { YamlCache } from './parse';
import { KustomizeFailure } from './problems';
import type { Gvk, Resource } from './resource';
import { field, scalarText } from './tree';

/** What the lead's rules need about one rendered object, beside its text. */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  /** `''` when the rendered object has no namespace. */
  readonly namespace: string;
  readonly name: string;
  /** The object as its file wrote it, when the build (namePrefix/nameSuffix/namespace, a patch) changed its kind, namespace or name. */
  readonly renamedFrom?: { readonly kind: string; readonly namespace: string; readonly name: string };
  /** The kustomization lines that renamed or moved it (namePrefix, nameSuffix, namespace), outermost last. */
  readonly renamedBy: readonly Origin[];
  /** Set when a label transformer (commonLabels, or labels with includeSelectors) gave a selector to a Service that had none. */
  readonly selectorAddedBy?: readonly Origin[];
  /** The document the object was read from. */
  readonly source: Origin;
}

/** A variant rendered by the native kustomize: documents plus what the rules need about each object. */
export interface KustomizeRender extends VariantRender {
  /** Parallel to `documents` (empty when the render failed). */
  readonly objects: readonly RenderedObject[];
  /** The root's kustomization file. */
  readonly kustomization: string;
}

const ORDER_FIRST = ['Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange', 'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget'];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function typeOrder(kind: string): number {
  const f = ORDER_FIRST.indexOf(kind);
  if (f >= 0) return f - ORDER_FIRST.length;
  const l = ORDER_LAST.indexOf(kind);
  return l >= 0 ? 1 + l : 0;
}

function gvkKey(g: Gvk): string {
  return `${g.group || '~G'}_${g.version || '~V'}_${g.kind || '~K'}`;
}

function idKey(r: Resource): string {
  const g = r.gvk;
  return `${g.kind || '[noKind]'}.${g.version || '[noVer]'}.${g.group || '[noGrp]'}|${r.namespace || '~X'}|${r.name || '~N'}`;
}

/** Kustomize's default ("legacy") output order. */
export function legacySort(resources: Resource[]): Resource[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...resources].sort((a, b) => {
    const ga = a.gvk;
    const gb = b.gvk;
    if (ga.group !== gb.group || ga.version !== gb.version || ga.kind !== gb.kind) {
      const oa = typeOrder(ga.kind);
      const ob = typeOrder(gb.kind);
      return oa !== ob ? oa - ob : cmp(gvkKey(ga), gvkKey(gb));
    }
    return cmp(idKey(a), idKey(b));
  });
}

function isLocalConfig(r: Resource): boolean {
  const v = scalarText(field(field(field(r.node, 'metadata'), 'annotations'), 'config.kubernetes.io/local-config'));
  return v !== undefined && v !== 'false';
}

/** `kube-traffic-render:/<variant>/<n>`, each path segment encoded. */
export function renderUri(variant: string, n: number): string {
  const segs = variant === '.' ? ['%2E'] : variant.split('/').map(encodeURIComponent);
  return `kube-traffic-render:/${segs.join('/')}/${n}`;
}

function objectInfo(r: Resource): RenderedObject {
  const written = r.original;
  const changed = written.kind !== r.kind || written.name !== r.name || written.namespace !== r.namespace;
  const info: RenderedObject = {
    apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace, name: r.name, renamedBy: [...r.renamedBy], source: r.source,
    ...(changed ? { renamedFrom: written } : {}),
    ...(r.selectorAddedBy.length > 0 ? { selectorAddedBy: [...r.selectorAddedBy] } : {}),
  };
  return info;
}

export interface RenderOptions {
  readonly files: KustomizeFiles;
  readonly cache: YamlCache;
  /** The workspace folder (a `file:///…` URI): variant names are relative to it. */
  readonly workspaceRoot: string;
}

/** Renders the kustomization root in `dir` (a directory URI). */
export function renderRoot(opts: RenderOptions, dir: string, kustomization: string): KustomizeRender {
  const name = relativePath(opts.workspaceRoot, dir) ?? displayPath(dir);
  const ctx = { files: opts.files, cache: opts.cache, inputs: new Set<string>(), problems: [] as RenderProblem[], stack: [] as string[], incomplete: false };
  const at: Origin = { uri: kustomization, span: { start: 0, end: 0 } };
  try {
    const acc = buildDirectory(ctx, dir, at, undefined, true);
    fixNameReferences(acc.resources, acc.config);
    const kept = acc.resources.filter((r) => !isLocalConfig(r));
    checkUniqueIds(kept);
    const rendered = legacySort(kept.filter((r) => !r.generated));
    const documents: RenderedDocument[] = rendered.map((r, i) => ({ uri: renderUri(name, i), ...emitDocument(r.node) }));
    return { name, documents, problems: ctx.problems, inputs: ctx.inputs, objects: rendered.map(objectInfo), kustomization };
  } catch (e) {
    if (!(e instanceof KustomizeFailure)) throw e;
    return { name, documents: undefined, problems: [...ctx.problems, e.toProblem()], inputs: ctx.inputs, objects: [], kustomization };
  }
}
