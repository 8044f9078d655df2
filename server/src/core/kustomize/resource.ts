import type { Origin } from '../render/types';
import { field, scalarText, stringAt, type KMap } from './tree';

/** Group, version, kind (kustomize's Gvk). */
export interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** Kustomize's ResId: gvk, name, namespace as written (`''` when unset). */
export interface ResId extends Gvk {
  readonly name: string;
  readonly namespace: string;
}

/**
 * Kinds kustomize knows to be cluster-scoped: the exact apiVersion/kind pairs of its built-in
 * OpenAPI data (kyaml's precomputed table). Everything else, custom resources included, is treated
 * as namespaced, so the namespace transformer sets a namespace on it.
 */
const CLUSTER_SCOPED = new Set([
  'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration', 'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration', 'admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration',
  'apiextensions.k8s.io/v1 CustomResourceDefinition', 'apiextensions.k8s.io/v1beta1 CustomResourceDefinition',
  'apiregistration.k8s.io/v1 APIService', 'apiregistration.k8s.io/v1beta1 APIService',
  'certificates.k8s.io/v1 CertificateSigningRequest', 'certificates.k8s.io/v1beta1 CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema', 'flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration',
  'networking.k8s.io/v1 IngressClass', 'networking.k8s.io/v1beta1 IngressClass',
  'node.k8s.io/v1 RuntimeClass', 'node.k8s.io/v1beta1 RuntimeClass', 'policy/v1beta1 PodSecurityPolicy',
  'rbac.authorization.k8s.io/v1 ClusterRole', 'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
  'rbac.authorization.k8s.io/v1beta1 ClusterRole', 'rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding',
  'scheduling.k8s.io/v1 PriorityClass', 'scheduling.k8s.io/v1beta1 PriorityClass',
  'storage.k8s.io/v1 CSIDriver', 'storage.k8s.io/v1 CSINode', 'storage.k8s.io/v1 StorageClass', 'storage.k8s.io/v1 VolumeAttachment',
  'storage.k8s.io/v1beta1 CSIDriver', 'storage.k8s.io/v1beta1 CSINode', 'storage.k8s.io/v1beta1 StorageClass', 'storage.k8s.io/v1beta1 VolumeAttachment',
  'v1 ComponentStatus', 'v1 Namespace', 'v1 Node', 'v1 NodeProxyOptions', 'v1 PersistentVolume',
]);

export const NOT_A_NAMESPACE = '_non_namespaceable_';

export function apiVersionOf(g: Gvk): string {
  return g.group ? `${g.group}/${g.version}` : g.version;
}

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function isClusterScoped(g: Gvk): boolean {
  return CLUSTER_SCOPED.has(`${apiVersionOf(g)} ${g.kind}`);
}

/** The namespace kustomize compares ids by: `default` for unset, a marker for cluster-scoped kinds. */
export function effectiveNamespace(id: ResId, clusterScoped = isClusterScoped(id)): string {
  if (clusterScoped) return NOT_A_NAMESPACE;
  return id.namespace === '' ? 'default' : id.namespace;
}

export function sameGvk(a: Gvk, b: Gvk): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

/** Kustomize's Gvk.IsSelected: empty selector fields match anything. */
export function gvkSelected(g: Gvk, sel: Partial<Gvk>): boolean {
  return (!sel.group || g.group === sel.group) && (!sel.version || g.version === sel.version) && (!sel.kind || g.kind === sel.kind);
}

export function idEquals(a: ResId, b: ResId, aPrev = false, bPrev = false): boolean {
  return a.name === b.name && sameGvk(a, b) && nsOf(a, aPrev) === nsOf(b, bPrev);
}

/** Previous ids store the effective namespace already; current ids compute it. */
function nsOf(id: ResId, prev: boolean): string {
  return prev ? (id.namespace === '' ? 'default' : id.namespace) : effectiveNamespace(id);
}

/** A string equal for ids kustomize's ResId.Equals finds equal (current ids). */
/** Equal exactly for the current ids that idEquals (NUL does not occur in valid names and kinds). */
export function idKey(id: ResId): string {
  return `${id.kind}\u0000${id.group}\u0000${id.version}\u0000${id.name}\u0000${effectiveNamespace(id)}`;
}

export function idString(id: ResId): string {
  return `${id.kind}${id.namespace ? ` ${id.namespace}/` : ' '}${id.name}`;
}

/** One object of the build: its tree, and the bookkeeping kustomize keeps in build annotations. */
export class Resource {
  /** Earlier ids (oldest first), with effective namespaces, as kustomize's build annotations keep them. */
  prevIds: ResId[] = [];
  prefixes: string[] = [];
  suffixes: string[] = [];
  /** Kustomization lines that renamed or moved the object (namePrefix, nameSuffix, namespace). */
  renamedBy: Origin[] = [];
  /** Label transformer lines that created a Service selector (it had none). */
  selectorAddedBy: Origin[] = [];
  /** A generated object the engine does not render (kept so ids, patches and name references see it). */
  generated?: { readonly kind: 'ConfigMap' | 'Secret'; readonly behavior: string };

  /** Kind, namespace and name as the file wrote them. */
  readonly original: { readonly kind: string; readonly namespace: string; readonly name: string };

  constructor(
    public node: KMap,
    /** The document the object was read from (or the generator entry that makes it). */
    readonly source: Origin,
  ) {
    this.original = { kind: this.kind, namespace: this.namespace, name: this.name };
  }

  get apiVersion(): string {
    return scalarText(field(this.node, 'apiVersion')) ?? '';
  }

  get kind(): string {
    return scalarText(field(this.node, 'kind')) ?? '';
  }

  get name(): string {
    return stringAt(this.node, ['metadata', 'name']) ?? '';
  }

  get namespace(): string {
    return stringAt(this.node, ['metadata', 'namespace']) ?? '';
  }

  get gvk(): Gvk {
    const { group, version } = parseApiVersion(this.apiVersion);
    return { group, version, kind: this.kind };
  }

  curId(): ResId {
    const apiVersion = this.apiVersion;
    const i = apiVersion.indexOf('/');
    const meta = field(this.node, 'metadata');
    return {
      group: i < 0 ? '' : apiVersion.slice(0, i), version: i < 0 ? apiVersion : apiVersion.slice(i + 1), kind: this.kind,
      name: scalarText(field(meta, 'name')) ?? '', namespace: scalarText(field(meta, 'namespace')) ?? '',
    };
  }

  /** Kustomize's OrgId: the oldest id (previous ids carry the current group/version). */
  orgId(): ResId {
    const p = this.prevIds[0];
    return p ? { ...p, group: this.gvk.group, version: this.gvk.version } : this.curId();
  }

  /** The original id's effective namespace, as kustomize groups by it. */
  orgNamespace(): string {
    const p = this.prevIds[0];
    return p ? (p.namespace === '' ? 'default' : p.namespace) : effectiveNamespace(this.curId());
  }

  prevIdsWithGvk(): ResId[] {
    const { group, version } = this.gvk;
    return this.prevIds.map((p) => ({ ...p, group, version }));
  }

  /** Records the current id as a previous one (before a rename, a move or a kind change). */
  storePreviousId(): void {
    const id = this.curId();
    this.prevIds.push({ ...id, namespace: effectiveNamespace(id) });
  }

  /** True when `id` is the current id or one of the previous ones (kustomize's GetMatchingResourcesByAnyId). */
  matchesAnyId(id: ResId): boolean {
    if (idEquals(this.curId(), id)) return true;
    return this.prevIdsWithGvk().some((p) => idEquals(p, id, true));
  }
}
