import { buildFileModel, buildFileModelSteps, completeFileModel, movedDocuments, type FileModel, type ParseOptions } from '../model/fileModel';
import type {
  BackendRef, EndpointsResource, Gateway, Ingress, IngressBackend, OtherResource, ReferenceGrant, Resource, Route, Service,
  ServicePort, Workload,
} from '../model/resources';
import { isServiceBackendRef } from '../model/resources';
import type { HorizontalPodAutoscaler, NetworkPolicy } from '../model/policyResources';
import { IndexTables, type IndexCatalog } from './tables';
import { keySymbol, ReadTracker } from './tracking';
import { lastStartingAtOrBefore, type LineIndex } from '../lineIndex';
import { isKustomizationFile, resolvePatchUris } from './kustomize';

/** A file in the index: its text, parse problems and resources (plain data, no YAML nodes). */
export type IndexedFile = FileModel;

/** What rules may use of the index: its lookups, each recorded as a read (see tracking.ts). */
export type IndexReads = Omit<WorkspaceIndex, 'update' | 'set' | 'remove' | 'complete' | 'modelSteps' | 'takeToggledPatches' | 'setOutside' | 'takeMoved' | 'tracker'>;

/**
 * Every manifest of a workspace, parsed and modelled, with lookup tables for the resolver.
 * Files are added, replaced and removed one at a time; nothing else is rebuilt.
 */
function byLocation<T extends Resource>(set: Iterable<T>): T[] {
  return [...set].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.span.start - b.span.start));
}

export class WorkspaceIndex {
  /** Records what computations read from the tables below, and what changes in them (tracking.ts). */
  readonly tracker = new ReadTracker();
  private readonly files = new Map<string, IndexedFile>();
  private readonly t = this.tracker;
  private readonly tables = new IndexTables(this.tracker);
  /** Patch files named by each kustomization: partial objects, not resources of their own. */
  private readonly patchesOf = new Map<string, ReadonlySet<string>>();
  private readonly patchRefs = new Map<string, number>();
  private readonly outside = new Set<string>();
  private moved: [Resource, Resource][] = [];
  private toggledPatches: string[] = [];
  private readonly partialSet = new Set<string>();
  /** Increases on every change; caches of derived results compare it. */
  private gen = 0;

  /** `options.catalog` models each kind, `kinds` writes each kind's keys (both from core/kinds). */
  constructor(private readonly parseOptions: ParseOptions, private readonly kinds: IndexCatalog) {}

  get generation(): number {
    return this.gen;
  }

  /** Parses and indexes a file, replacing any previous version. Returns the new entry. */
  update(uri: string, version: number | string, text: string): IndexedFile {
    const existing = this.files.get(uri);
    if (existing && existing.parsed.version === version && existing.parsed.text === text) return existing;
    return this.set(uri, buildFileModel(uri, version, text, existing, this.parseOptions));
  }

  /**
   * The model `update` would build, in steps (see buildFileModelSteps); undefined when the file is
   * unchanged. The caller indexes the result with `set` if it still wants it.
   */
  modelSteps(uri: string, version: number | string, text: string): Generator<void, FileModel, void> | undefined {
    const existing = this.files.get(uri);
    if (existing && existing.parsed.version === version && existing.parsed.text === text) return undefined;
    return buildFileModelSteps(uri, version, text, existing, this.parseOptions);
  }

  /** Parses in full the documents of a file that were read partially; returns the new entry. */
  complete(uri: string): IndexedFile | undefined {
    const existing = this.files.get(uri);
    if (!existing || !existing.partial) return existing;
    return this.set(uri, completeFileModel(existing, this.parseOptions.catalog));
  }

  /** Files with partially read documents. */
  partialFiles(): string[] {
    return [...this.partialSet];
  }

  /** Indexes an already parsed file (used by worker-based indexing). */
  set(uri: string, entry: IndexedFile): IndexedFile {
    const existing = this.files.get(uri);
    if (existing && this.isActive(uri) && !isKustomizationFile(uri)) return this.replace(uri, existing, entry);
    this.remove(uri);
    this.files.set(uri, entry);
    this.t.changed(keySymbol('file', uri));
    this.t.changed('files');
    // No line symbols: nothing can have read the lines of a file that was not there (linesAt
    // records the file's own symbol then), and remove() reported the previous version's.
    if (entry.partial) this.partialSet.add(uri);
    if (this.isActive(uri)) for (const r of entry.resources) this.addResource(r);
    if (isKustomizationFile(uri)) this.setPatches(uri, resolvePatchUris(uri, entry.patchRefs));
    this.gen++;
    return entry;
  }

  /**
   * A new version of an indexed file: only the resources that changed leave and join the tables
   * (and report their keys); one that is the same object stays; one with the same content placed
   * elsewhere (a later document of the file moved) takes the old one's place quietly, and the pair
   * is kept for the analyzer (takeMoved).
   */
  private replace(uri: string, existing: IndexedFile, entry: IndexedFile): IndexedFile {
    const now = new Set(entry.resources);
    const newByOrigin = new Map<Resource, Resource>();
    entry.origins?.forEach((o, i) => newByOrigin.set(o, entry.resources[i]!));
    const kept = new Set<Resource>();
    existing.resources.forEach((r, i) => {
      if (now.has(r)) {
        kept.add(r);
        return;
      }
      const moved = existing.origins ? newByOrigin.get(existing.origins[i]!) : undefined;
      if (moved && !kept.has(moved)) {
        this.t.quietly(() => {
          this.removeResource(r);
          this.addResource(moved);
        });
        kept.add(moved);
        this.moved.push([r, moved]);
      } else {
        this.removeResource(r);
      }
    });
    for (const r of entry.resources) if (!kept.has(r)) this.addResource(r);
    this.files.set(uri, entry);
    this.t.changed(keySymbol('file', uri));
    this.linesChanged(uri, existing, entry);
    this.t.changed('files');
    if (entry.partial) this.partialSet.add(uri);
    else this.partialSet.delete(uri);
    this.gen++;
    return entry;
  }

  /** Resources replaced by one of the same content since the last call (old, new). */
  takeMoved(): [Resource, Resource][] {
    const out = this.moved;
    this.moved = [];
    return out;
  }

  remove(uri: string): boolean {
    const existing = this.files.get(uri);
    if (!existing) return false;
    if (this.isActive(uri)) for (const r of existing.resources) this.removeResource(r);
    this.files.delete(uri);
    this.t.changed(keySymbol('file', uri));
    this.t.changed('files');
    this.linesChanged(uri, existing, undefined);
    this.partialSet.delete(uri);
    if (this.patchesOf.has(uri)) this.setPatches(uri, new Set());
    this.gen++;
    return true;
  }

  /** True when a kustomization in the workspace uses this file as a patch. */
  private isPatch(uri: string): boolean {
    return (this.patchRefs.get(uri) ?? 0) > 0;
  }

  /**
   * Does the file take part in this index's cluster? Not when a kustomization uses it as a patch
   * (a partial object), nor when the caller put it outside (a member of a variant, analysed
   * through its render).
   */
  isActive(uri: string): boolean {
    return !this.outside.has(uri) && !this.isPatch(uri);
  }

  /** Puts exactly these files outside this index's cluster (the others back in). */
  setOutside(uris: ReadonlySet<string>): void {
    const flips = [...this.outside].filter((u) => !uris.has(u));
    for (const u of uris) if (!this.outside.has(u)) flips.push(u);
    for (const u of flips) {
      const was = this.isActive(u);
      if (uris.has(u)) this.outside.add(u);
      else this.outside.delete(u);
      this.activityChanged(u, was);
    }
    if (flips.length) this.gen++;
  }

  /** Files whose activity changed since the last call (their resources joined or left). */
  takeToggledPatches(): string[] {
    const out = this.toggledPatches;
    this.toggledPatches = [];
    return out;
  }

  /** The resources of a file that take part in analysis (none for an inactive file). */
  activeResources(uri: string): readonly Resource[] {
    const f = this.file(uri);
    return f && this.isActive(uri) ? f.resources : [];
  }

  private setPatches(kustomization: string, patches: ReadonlySet<string>): void {
    const before = this.patchesOf.get(kustomization) ?? new Set<string>();
    for (const p of before) if (!patches.has(p)) this.changePatchRef(p, -1);
    for (const p of patches) if (!before.has(p)) this.changePatchRef(p, +1);
    if (patches.size) this.patchesOf.set(kustomization, patches);
    else this.patchesOf.delete(kustomization);
  }

  private changePatchRef(uri: string, delta: number): void {
    const was = this.isActive(uri);
    const n = (this.patchRefs.get(uri) ?? 0) + delta;
    if (n > 0) this.patchRefs.set(uri, n);
    else this.patchRefs.delete(uri);
    this.activityChanged(uri, was);
  }

  private activityChanged(uri: string, wasActive: boolean): void {
    const active = this.isActive(uri);
    if (wasActive === active) return;
    this.toggledPatches.push(uri);
    this.t.changed(keySymbol('file', uri));
    const f = this.files.get(uri);
    if (f) for (const r of f.resources) {
      if (active) this.addResource(r);
      else this.removeResource(r);
    }
  }

  file(uri: string): IndexedFile | undefined {
    if (this.t.active) this.t.read(keySymbol('file', uri));
    return this.files.get(uri);
  }

  /**
   * The line table of a file, for placing a span that starts at `offset`: the reader records only
   * the lines of the document holding that offset (`lines|uri#k`), so findings placed in other
   * documents of a file are not re-checked when one document is edited (see linesChanged).
   */
  linesAt(uri: string, offset: number): LineIndex | undefined {
    const f = this.files.get(uri);
    if (this.t.active) this.t.read(f ? linesSymbol(uri, lastStartingAtOrBefore(f.slices, offset)) : keySymbol('file', uri));
    return f?.parsed.lines;
  }

  /** Reports the documents whose positions changed (movedDocuments). */
  private linesChanged(uri: string, before: IndexedFile | undefined, after: IndexedFile | undefined): void {
    for (const k of movedDocuments(before, after)) this.t.changed(linesSymbol(uri, k));
  }

  uris(): IterableIterator<string> {
    this.t.read('files');
    return this.files.keys();
  }

  get fileCount(): number {
    this.t.read('files');
    return this.files.size;
  }

  *resources(): IterableIterator<Resource> {
    this.t.read('files');
    for (const [uri, f] of this.files) if (this.isActive(uri)) yield* f.resources;
  }

  /** Resources of a kind and name, in any namespace (callers apply the namespace rule). */
  /** Resources of a kind and name visible from `namespace` (undefined: in any namespace). */
  named<T extends Resource = Resource>(kind: string, name: string, namespace?: string): readonly T[] {
    // In document order, whatever order they were indexed in (the same object defined twice:
    // the first definition answers, as in a fresh analysis).
    return byLocation(this.tables.byKindName.get(namespace, `${kind}\u0000${name}`)) as T[];
  }

  services(): ReadonlySet<Service> {
    return this.tables.services.get();
  }

  workloads(): ReadonlySet<Workload> {
    return this.tables.workloads.get();
  }

  /** Workloads whose pod template carries exactly this label. */
  workloadsWithLabel(key: string, value: string, namespace?: string): Iterable<Workload> & { readonly size: number } {
    return this.tables.workloadsByLabel.get(namespace, `${key}\u0000${value}`);
  }

  /** In document order (answers never depend on the order files were indexed in). */
  endpointsFor(serviceName: string): readonly EndpointsResource[] {
    return byLocation(this.tables.endpointsByService.get(serviceName));
  }

  referenceGrants(): ReadonlySet<ReferenceGrant> {
    return this.tables.grants.get();
  }

  otherResources(): ReadonlySet<OtherResource> {
    return this.tables.others.get();
  }

  ingresses(): ReadonlySet<Ingress> {
    return this.tables.ingresses.get();
  }

  routes(): ReadonlySet<Route> {
    return this.tables.routes.get();
  }

  gateways(): ReadonlySet<Gateway> {
    return this.tables.gateways.get();
  }

  /** Ingress backends naming a Service (any namespace; callers apply the namespace rule). */
  ingressBackendsNaming(serviceName: string, namespace?: string): { ingress: Ingress; backend: IngressBackend }[] {
    const out: { ingress: Ingress; backend: IngressBackend }[] = [];
    for (const ingress of byLocation(this.tables.ingressBackends.get(namespace, serviceName))) {
      for (const backend of ingress.backends) if (backend.serviceName?.value === serviceName) out.push({ ingress, backend });
    }
    return out;
  }

  /** Gateway API Service backendRefs naming a Service. */
  routeBackendsNaming(serviceName: string, namespace?: string): { route: Route; ref: BackendRef }[] {
    const out: { route: Route; ref: BackendRef }[] = [];
    for (const route of byLocation(this.tables.routeBackends.get(namespace, serviceName))) {
      for (const ref of route.backendRefs) {
        if (isServiceBackendRef(ref) && ref.name?.value === serviceName) out.push({ route, ref });
      }
    }
    return out;
  }

  /** Routes with a parentRef to a Service of this name (GAMMA mesh routes); callers apply the namespace rule. */
  routesAttachedToService(serviceName: string, namespace?: string): Route[] {
    return byLocation(this.tables.routeParentServices.get(namespace, serviceName));
  }

  /** StatefulSets whose serviceName is this name. */
  statefulSetsGovernedBy(serviceName: string, namespace?: string): Workload[] {
    return byLocation(this.tables.governed.get(namespace, serviceName));
  }

  /** Services with selector entry key=value, plus those selecting only on controller-added labels. */
  servicesWithSelectorEntry(key: string, value: string, namespace?: string): Iterable<Service> {
    return this.tables.servicesBySelector.get(namespace, `${key}\u0000${value}`);
  }

  servicesSelectingOnControllerLabelsOnly(): ReadonlySet<Service> {
    return this.tables.controllerOnlySelectors.get();
  }

  nodePortUsers(nodePort: number): { svc: Service; port: ServicePort }[] {
    const out: { svc: Service; port: ServicePort }[] = [];
    for (const svc of this.tables.nodePortUses.get(nodePort)) for (const port of svc.ports) if (port.nodePort?.value === nodePort) out.push({ svc, port });
    return out;
  }

  workloadsWithLabelKey(key: string, namespace?: string): Iterable<Workload> & { readonly size: number } {
    return this.tables.workloadsByKey.get(namespace, key);
  }

  workloadsWithLabelValue(value: string, namespace?: string): Iterable<Workload> & { readonly size: number } {
    return this.tables.workloadsByValue.get(namespace, value);
  }

  /** Custom resources that may create pods (an operator's Prometheus, a HelmRelease, …). */
  possiblePodCreators(): ReadonlySet<OtherResource> {
    return this.tables.podCreators.get();
  }

  /** In document order. */
  trafficSplitsFor(serviceName: string): readonly OtherResource[] {
    return byLocation(this.tables.splits.get(serviceName));
  }

  networkPolicies(): ReadonlySet<NetworkPolicy> {
    return this.tables.policies.get();
  }

  namespaceObjects(): ReadonlySet<OtherResource> {
    return this.tables.namespaces.get();
  }

  /** HorizontalPodAutoscalers whose scaleTargetRef names this kind and name (callers apply the namespace rule). */
  autoscalersOf(kind: string, name: string, namespace?: string): HorizontalPodAutoscaler[] {
    return byLocation(this.tables.autoscalersByTarget.get(namespace, `${kind}\u0000${name}`));
  }

  private addResource(r: Resource): void {
    this.indexResource(r, true);
  }

  private removeResource(r: Resource): void {
    this.indexResource(r, false);
  }

  /** Adds a resource to (or removes it from) every lookup table: its name here, the rest by its kind. */
  private indexResource(r: Resource, add: boolean): void {
    if (r.name !== undefined) this.tables.byKindName.put(add, r.namespace, `${r.kind}\u0000${r.name}`, r);
    this.kinds.index(r, this.tables, add);
  }
}

/** The symbol of the lines of document `k` of a file (read by linesAt, reported by linesChanged). */
function linesSymbol(uri: string, k: number): string {
  return keySymbol('lines', `${uri}#${k}`);
}
