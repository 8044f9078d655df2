import { buildFileModel, completeFileModel, type FileModel, type ParseOptions } from '../model/fileModel';
import type {
  EndpointsResource, Gateway, Ingress, OtherResource, ReferenceGrant, Resource, Route, Service, Workload,
} from '../model/resources';
import { MultiMap } from './multiMap';
import { isKustomizationFile, resolvePatchUris } from './kustomize';

/** A file in the index: its text, parse problems and resources (plain data, no YAML nodes). */
export type IndexedFile = FileModel;

/**
 * Every manifest of a workspace, parsed and modelled, with lookup tables for the resolver.
 * Files are added, replaced and removed one at a time; nothing else is rebuilt.
 */
export class WorkspaceIndex {
  private readonly files = new Map<string, IndexedFile>();
  private readonly byKindName = new MultiMap<string, Resource>();
  private readonly workloadsByLabel = new MultiMap<string, Workload>();
  private readonly allWorkloads = new Set<Workload>();
  private readonly servicesSet = new Set<Service>();
  private readonly endpointsByService = new MultiMap<string, EndpointsResource>();
  private readonly grants = new Set<ReferenceGrant>();
  private readonly others = new Set<OtherResource>();
  /** Patch files named by each kustomization: partial objects, not resources of their own. */
  private readonly patchesOf = new Map<string, ReadonlySet<string>>();
  private readonly patchRefs = new Map<string, number>();
  /** Increases on every change; caches of derived results compare it. */
  private gen = 0;

  constructor(private readonly parseOptions: ParseOptions = { skipBodies: false }) {}

  get generation(): number {
    return this.gen;
  }

  /** Parses and indexes a file, replacing any previous version. Returns the new entry. */
  update(uri: string, version: number | string, text: string): IndexedFile {
    const existing = this.files.get(uri);
    if (existing && existing.parsed.version === version && existing.parsed.text === text) return existing;
    return this.set(uri, buildFileModel(uri, version, text, existing, this.parseOptions));
  }

  /** Parses in full the documents of a file that were read partially; returns the new entry. */
  complete(uri: string): IndexedFile | undefined {
    const existing = this.files.get(uri);
    if (!existing || !existing.partial) return existing;
    return this.set(uri, completeFileModel(existing));
  }

  /** Files with partially read documents. */
  partialFiles(): string[] {
    return [...this.files].filter(([, f]) => f.partial).map(([u]) => u);
  }

  /** Indexes an already parsed file (used by worker-based indexing). */
  set(uri: string, entry: IndexedFile): IndexedFile {
    this.remove(uri);
    this.files.set(uri, entry);
    if (!this.isPatch(uri)) for (const r of entry.resources) this.addResource(r);
    if (isKustomizationFile(uri)) this.setPatches(uri, resolvePatchUris(uri, entry.patchRefs));
    this.gen++;
    return entry;
  }

  remove(uri: string): boolean {
    const existing = this.files.get(uri);
    if (!existing) return false;
    if (!this.isPatch(uri)) for (const r of existing.resources) this.removeResource(r);
    this.files.delete(uri);
    if (this.patchesOf.has(uri)) this.setPatches(uri, new Set());
    this.gen++;
    return true;
  }

  /** True when a kustomization in the workspace uses this file as a patch. */
  isPatch(uri: string): boolean {
    return (this.patchRefs.get(uri) ?? 0) > 0;
  }

  /** The resources of a file that take part in analysis (none for a kustomize patch file). */
  activeResources(uri: string): readonly Resource[] {
    const f = this.files.get(uri);
    return f && !this.isPatch(uri) ? f.resources : [];
  }

  private setPatches(kustomization: string, patches: ReadonlySet<string>): void {
    const before = this.patchesOf.get(kustomization) ?? new Set<string>();
    for (const p of before) if (!patches.has(p)) this.changePatchRef(p, -1);
    for (const p of patches) if (!before.has(p)) this.changePatchRef(p, +1);
    if (patches.size) this.patchesOf.set(kustomization, patches);
    else this.patchesOf.delete(kustomization);
  }

  private changePatchRef(uri: string, delta: number): void {
    const wasPatch = this.isPatch(uri);
    const n = (this.patchRefs.get(uri) ?? 0) + delta;
    if (n > 0) this.patchRefs.set(uri, n);
    else this.patchRefs.delete(uri);
    const isPatch = this.isPatch(uri);
    const f = this.files.get(uri);
    if (!f || wasPatch === isPatch) return;
    for (const r of f.resources) {
      if (isPatch) this.removeResource(r);
      else this.addResource(r);
    }
  }

  file(uri: string): IndexedFile | undefined {
    return this.files.get(uri);
  }

  uris(): IterableIterator<string> {
    return this.files.keys();
  }

  get fileCount(): number {
    return this.files.size;
  }

  *resources(): IterableIterator<Resource> {
    for (const [uri, f] of this.files) if (!this.isPatch(uri)) yield* f.resources;
  }

  /** Resources of a kind and name, in any namespace (callers apply the namespace rule). */
  named<T extends Resource = Resource>(kind: string, name: string): readonly T[] {
    return [...this.byKindName.get(`${kind}\u0000${name}`)] as T[];
  }

  services(): ReadonlySet<Service> {
    return this.servicesSet;
  }

  workloads(): ReadonlySet<Workload> {
    return this.allWorkloads;
  }

  /** Workloads whose pod template carries exactly this label. */
  workloadsWithLabel(key: string, value: string): ReadonlySet<Workload> {
    return this.workloadsByLabel.get(`${key}\u0000${value}`);
  }

  endpointsFor(serviceName: string): ReadonlySet<EndpointsResource> {
    return this.endpointsByService.get(serviceName);
  }

  referenceGrants(): ReadonlySet<ReferenceGrant> {
    return this.grants;
  }

  otherResources(): ReadonlySet<OtherResource> {
    return this.others;
  }

  ingresses(): Ingress[] {
    return [...this.resources()].filter((r): r is Ingress => r.type === 'ingress');
  }

  routes(): Route[] {
    return [...this.resources()].filter((r): r is Route => r.type === 'route');
  }

  gateways(): Gateway[] {
    return [...this.resources()].filter((r): r is Gateway => r.type === 'gateway');
  }

  private addResource(r: Resource): void {
    if (r.name !== undefined) this.byKindName.add(`${r.kind}\u0000${r.name}`, r);
    switch (r.type) {
      case 'workload':
        this.allWorkloads.add(r);
        for (const l of r.podLabels) this.workloadsByLabel.add(`${l.key}\u0000${l.value}`, r);
        break;
      case 'service':
        this.servicesSet.add(r);
        break;
      case 'endpoints':
        if (r.serviceName !== undefined) this.endpointsByService.add(r.serviceName, r);
        break;
      case 'referenceGrant':
        this.grants.add(r);
        break;
      case 'other':
        this.others.add(r);
        break;
      case 'ingress':
      case 'route':
      case 'gateway':
        break;
    }
  }

  private removeResource(r: Resource): void {
    if (r.name !== undefined) this.byKindName.delete(`${r.kind}\u0000${r.name}`, r);
    switch (r.type) {
      case 'workload':
        this.allWorkloads.delete(r);
        for (const l of r.podLabels) this.workloadsByLabel.delete(`${l.key}\u0000${l.value}`, r);
        break;
      case 'service':
        this.servicesSet.delete(r);
        break;
      case 'endpoints':
        if (r.serviceName !== undefined) this.endpointsByService.delete(r.serviceName, r);
        break;
      case 'referenceGrant':
        this.grants.delete(r);
        break;
      case 'other':
        this.others.delete(r);
        break;
      case 'ingress':
      case 'route':
      case 'gateway':
        break;
    }
  }
}
