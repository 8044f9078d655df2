import type { WorkspaceHost } from './host';
import { WorkspaceIndex, type IndexedFile } from './index/workspaceIndex';
import { skippedFile } from './parse/parseFile';
import type { ParseOptions } from './model/fileModel';
import { exportsOf, importsOf } from './index/dependencies';
import { MultiMap } from './index/multiMap';
import { Resolver } from './resolve/resolver';
import { DEFAULT_SETTINGS, Reporter, type AnalysisSettings } from './rules/context';
import { checkIngress } from './rules/ingressRules';
import { NodePortTable, checkNodePortConflicts } from './rules/nodePortRules';
import { checkRoute } from './rules/routeRules';
import { checkServiceShape } from './rules/serviceShape';
import { checkNetworkPolicy } from './rules/policyRules';
import { checkAutoscaler, checkDisruptionBudget, checkServiceMonitor } from './rules/targetRules';
import { checkServiceSelection, checkStatefulSetService } from './rules/trafficRules';
import { checkContainers, checkDuplicates, checkLabels, checkWorkloadSelector } from './rules/workloadRules';
import { NEVER_CANCELLED, type CancellationToken, type Finding } from './types';

/** A file the analyzer could not take in (unreadable, binary, too large). */
export interface SkippedFile {
  readonly uri: string;
  readonly reason: string;
}

/**
 * The analysis engine: an index of the workspace plus the rules. Findings of one file are split in
 * two: local ones depend only on that file (cached by file version), cross-resource ones depend on
 * the whole index (cached by index generation).
 */
export class Analyzer {
  readonly index: WorkspaceIndex;
  readonly resolver: Resolver;
  private readonly nodePorts: NodePortTable;
  private settingsValue: AnalysisSettings;
  private settingsGen = 0;
  private readonly localCache = new Map<string, { entry: IndexedFile; settingsGen: number; patch: boolean; findings: Finding[] }>();
  /** Cross-resource findings per file, valid until the file is marked dirty. */
  private readonly crossCache = new Map<string, Finding[]>();
  private readonly exportsByUri = new Map<string, Set<string>>();
  private readonly importsByUri = new Map<string, Set<string>>();
  private readonly importers = new MultiMap<string, string>();
  /** Files whose findings may have changed since takeDirty() was last called. */
  private dirty = new Set<string>();

  /**
   * `skipBodies`: read only the identity of large documents no rule inspects (CRD schemas); their
   * syntax is checked later with completeFile(). The editor uses it for speed, the CLI does not.
   */
  constructor(settings: Partial<AnalysisSettings> = {}, options: ParseOptions = { skipBodies: false }) {
    this.settingsValue = { ...DEFAULT_SETTINGS, ...settings };
    this.index = new WorkspaceIndex(options);
    this.resolver = new Resolver(this.index);
    this.nodePorts = new NodePortTable(this.index);
  }

  /** Parses the skipped bodies of a file in full, so their YAML errors are reported. */
  completeFile(uri: string): boolean {
    const before = this.index.file(uri);
    if (!before?.partial) return false;
    this.index.complete(uri);
    this.noteChange(uri);
    return true;
  }

  get settings(): AnalysisSettings {
    return this.settingsValue;
  }

  set settings(s: AnalysisSettings) {
    this.settingsValue = s;
    this.settingsGen++;
    this.crossCache.clear();
    for (const uri of this.index.uris()) this.dirty.add(uri);
  }

  updateFile(uri: string, version: number | string, text: string): IndexedFile {
    const before = this.index.file(uri);
    const entry = this.index.update(uri, version, text);
    if (entry !== before) this.noteChange(uri);
    return entry;
  }

  /** The new model of a file, built in steps (see WorkspaceIndex.modelSteps); index it with addFileModel. */
  fileModelSteps(uri: string, version: number | string, text: string): Generator<void, IndexedFile, void> | undefined {
    return this.index.modelSteps(uri, version, text);
  }

  /** Adds a file modelled elsewhere (a worker thread, the persisted index, or fileModelSteps). */
  addFileModel(uri: string, model: IndexedFile): void {
    this.index.set(uri, model);
    this.noteChange(uri);
  }

  /** Files whose findings may differ from what was last computed; clears the set. */
  takeDirty(): Set<string> {
    const out = this.dirty;
    this.dirty = new Set();
    return out;
  }

  /**
   * A file changed: it is dirty, and so is every file whose cross-resource findings import a
   * symbol it exported before or exports now (see index/dependencies.ts).
   */
  private noteChange(uri: string): void {
    const changed = new Set<string>();
    const touched = [uri, ...this.index.takeToggledPatches()];
    for (const u of touched) {
      for (const sym of this.exportsByUri.get(u) ?? []) changed.add(sym);
      const now = exportsOf(this.index.activeResources(u));
      for (const sym of now) changed.add(sym);
      if (this.index.file(u)) this.exportsByUri.set(u, now);
      else this.exportsByUri.delete(u);
      this.markDirty(u);
    }
    for (const sym of changed) for (const importer of this.importers.get(sym)) this.markDirty(importer);
  }

  private markDirty(uri: string): void {
    this.crossCache.delete(uri);
    if (this.index.file(uri)) this.dirty.add(uri);
  }

  private setImports(uri: string, imports: Set<string> | undefined): void {
    for (const sym of this.importsByUri.get(uri) ?? []) this.importers.delete(sym, uri);
    if (imports) {
      this.importsByUri.set(uri, imports);
      for (const sym of imports) this.importers.add(sym, uri);
    } else this.importsByUri.delete(uri);
  }

  /** Records a file that cannot be analysed, so it carries one `file-skipped` finding. */
  markSkipped(uri: string, reason: string): void {
    const existing = this.index.file(uri);
    if (existing?.parsed.version === `skipped:${reason}`) return;
    this.index.set(uri, { parsed: skippedFile(uri, reason), resources: [], slices: [], patchRefs: [], partial: false });
    this.noteChange(uri);
  }

  removeFile(uri: string): void {
    if (!this.index.remove(uri)) return;
    this.localCache.delete(uri);
    this.noteChange(uri);
    this.setImports(uri, undefined);
    this.dirty.delete(uri);
  }

  /** Reads every file of a host into the index. Returns files that could not be read. */
  async indexWorkspace(host: WorkspaceHost, token: CancellationToken = NEVER_CANCELLED,
    onProgress?: (done: number, total: number) => void): Promise<SkippedFile[]> {
    const uris = await host.listFiles();
    const skipped: SkippedFile[] = [];
    let done = 0;
    for (const uri of uris) {
      if (token.isCancellationRequested) break;
      try {
        const content = await host.readFile(uri);
        if (content === undefined) skipped.push({ uri, reason: 'could not be read' });
        else this.updateFile(uri, content.version, content.text);
      } catch (e) {
        skipped.push({ uri, reason: e instanceof Error ? e.message : String(e) });
      }
      onProgress?.(++done, uris.length);
    }
    return skipped;
  }

  /** All findings of one file, sorted by position. */
  findings(uri: string, token: CancellationToken = NEVER_CANCELLED): Finding[] {
    const entry = this.index.file(uri);
    if (!entry) return [];
    const local = this.localFindings(uri, entry);
    if (token.isCancellationRequested) return local;
    const cross = this.crossFindings(uri);
    return sortFindings([...local, ...cross]);
  }

  /** Findings of every indexed file. */
  allFindings(token: CancellationToken = NEVER_CANCELLED): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    for (const uri of this.index.uris()) {
      if (token.isCancellationRequested) break;
      out.set(uri, this.findings(uri, token));
    }
    return out;
  }

  private localFindings(uri: string, entry: IndexedFile): Finding[] {
    const hit = this.localCache.get(uri);
    const patch = this.index.isPatch(uri);
    if (hit && hit.entry === entry && hit.settingsGen === this.settingsGen && hit.patch === patch) return hit.findings;
    const r = new Reporter(uri, this.index, this.resolver, this.settingsValue);
    for (const p of entry.parsed.problems) {
      r.report(p.code, p.span, p.message, p.slashComment ? { data: { type: 'slash-comment' } } : {});
    }
    const resources = this.index.activeResources(uri);
    for (const res of resources) {
      checkLabels(res, r);
      if (res.type === 'service') checkServiceShape(res, r);
      else if (res.type === 'workload') {
        checkWorkloadSelector(res, r);
        checkContainers(res, r);
      }
    }
    checkDuplicates(resources, r);
    this.localCache.set(uri, { entry, settingsGen: this.settingsGen, patch, findings: r.findings });
    return r.findings;
  }

  private crossFindings(uri: string): Finding[] {
    const hit = this.crossCache.get(uri);
    if (hit) return hit;
    const r = new Reporter(uri, this.index, this.resolver, this.settingsValue);
    for (const res of this.index.activeResources(uri)) {
      switch (res.type) {
        case 'service':
          checkServiceSelection(res, r);
          checkNodePortConflicts(res, this.nodePorts, r);
          break;
        case 'workload':
          checkStatefulSetService(res, r);
          break;
        case 'ingress':
          checkIngress(res, r);
          break;
        case 'route':
          checkRoute(res, r);
          break;
        case 'networkPolicy':
          checkNetworkPolicy(res, r);
          break;
        case 'autoscaler':
          checkAutoscaler(res, r);
          break;
        case 'disruptionBudget':
          checkDisruptionBudget(res, r);
          break;
        case 'serviceMonitor':
          checkServiceMonitor(res, r);
          break;
        case 'endpoints':
        case 'gateway':
        case 'referenceGrant':
        case 'other':
          break;
      }
    }
    this.crossCache.set(uri, r.findings);
    this.setImports(uri, importsOf(this.index.activeResources(uri), this.resolver));
    return r.findings;
  }
}

export function sortFindings(list: Finding[]): Finding[] {
  return list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character
    || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
