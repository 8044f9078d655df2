import { WorkspaceIndex, type IndexedFile } from './index/workspaceIndex';
import { skippedFile } from './parse/parseFile';
import type { Resource } from './model/resources';
import { MultiMap } from './index/multiMap';
import type { ReadSymbol } from './index/tracking';
import { Resolver } from './resolve/resolver';
import { DEFAULT_SETTINGS, Reporter, type AnalysisSettings } from './rules/context';
import { CHECKS, FILE_CHECKS, checksByType, type ResourceCheck } from './rules/registry';
import { KIND_CATALOG } from './kinds/registry';
import { NEVER_CANCELLED, type CancellationToken, type Finding } from './types';

/** What one resource's checks found, and every symbol they read while finding it. */
interface CheckResult {
  readonly findings: readonly Finding[];
  readonly reads: ReadonlySet<ReadSymbol>;
}

/**
 * The analysis engine: an index of the workspace plus the checks of rules/registry.ts. The checks
 * of a resource run inside a tracked computation (index/tracking.ts): the analyzer keeps their
 * findings with what they read, and when a file changes it re-runs exactly the checks that read
 * something the change touched. No check declares what it depends on.
 */
export class Analyzer {
  readonly index: WorkspaceIndex;
  readonly resolver: Resolver;
  private settingsValue: AnalysisSettings;
  private settingsGen = 0;
  /** Parse problems and file-level checks, cached by file entry. */
  private readonly fileCache = new Map<string, { entry: IndexedFile; settingsGen: number; active: boolean; findings: Finding[] }>();
  /** Per resource: its checks' findings and reads, valid until one of the reads changes. */
  private readonly results = new Map<Resource, CheckResult>();
  /** Resources whose results are cached, per file (to drop them when the file changes). */
  private readonly checkedIn = new MultiMap<string, Resource>();
  /** Who read each symbol. */
  private readonly readers = new MultiMap<ReadSymbol, Resource>();
  /** Files whose findings may have changed since takeDirty() was last called. */
  private dirty = new Set<string>();
  private readonly checksOf: ReadonlyMap<Resource['type'], readonly ResourceCheck[]>;

  /**
   * `skipBodies`: read only the identity of large documents no rule inspects (CRD schemas); their
   * syntax is checked later with completeFile(). The editor uses it for speed, the CLI does not.
   */
  constructor(settings: Partial<AnalysisSettings> = {}, options: { readonly skipBodies: boolean } = { skipBodies: false },
    checks: readonly ResourceCheck[] = CHECKS) {
    this.settingsValue = { ...DEFAULT_SETTINGS, ...settings };
    this.checksOf = checksByType(checks);
    this.index = new WorkspaceIndex({ skipBodies: options.skipBodies, catalog: KIND_CATALOG }, KIND_CATALOG);
    this.resolver = new Resolver(this.index);
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
    for (const res of [...this.results.keys()]) this.forget(res);
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

  /** How many cached check results read this symbol (for tests of the recording). */
  readersOf(symbol: ReadSymbol): number {
    return this.readers.get(symbol).size;
  }

  /** The symbols a resource's checks read, when its result is cached (for tests and debugging). */
  readsOf(res: Resource): ReadonlySet<ReadSymbol> | undefined {
    return this.results.get(res)?.reads;
  }

  /** Takes exactly these files out of this analysis (members of variants, analysed through their renders). */
  setOutside(uris: ReadonlySet<string>): void {
    this.index.setOutside(uris);
    this.noteChange(undefined);
  }

  /**
   * A file changed: it is dirty (its resources are new objects), and so is every file with a
   * resource whose checks read a symbol the change touched.
   */
  private noteChange(uri: string | undefined): void {
    for (const u of [...(uri === undefined ? [] : [uri]), ...this.index.takeToggledPatches()]) {
      for (const res of [...this.checkedIn.get(u)]) this.forget(res);
      if (this.index.file(u)) this.dirty.add(u);
    }
    for (const symbol of this.index.tracker.takeChanges()) {
      for (const res of [...this.readers.get(symbol)]) {
        this.forget(res);
        if (this.index.file(res.uri)) this.dirty.add(res.uri);
      }
    }
  }

  private forget(res: Resource): void {
    const result = this.results.get(res);
    if (!result) return;
    this.results.delete(res);
    this.checkedIn.delete(res.uri, res);
    for (const symbol of result.reads) this.readers.delete(symbol, res);
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
    this.fileCache.delete(uri);
    this.noteChange(uri);
    this.dirty.delete(uri);
  }

  /** All findings of one file, sorted by position. */
  findings(uri: string, token: CancellationToken = NEVER_CANCELLED): Finding[] {
    const entry = this.index.file(uri);
    if (!entry) return [];
    const out = [...this.fileFindings(uri, entry)];
    for (const res of this.index.activeResources(uri)) {
      if (token.isCancellationRequested) break;
      out.push(...this.resourceFindings(res));
    }
    return sortFindings(out);
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

  /** Parse problems and the checks over a file's resources together. */
  private fileFindings(uri: string, entry: IndexedFile): Finding[] {
    const hit = this.fileCache.get(uri);
    const active = this.index.isActive(uri);
    if (hit && hit.entry === entry && hit.settingsGen === this.settingsGen && hit.active === active) return hit.findings;
    const r = new Reporter(uri, this.index, this.resolver, this.settingsValue);
    for (const p of entry.parsed.problems) {
      r.report(p.code, p.span, p.message, p.slashComment ? { data: { type: 'slash-comment' } } : {});
    }
    const resources = this.index.activeResources(uri);
    for (const check of FILE_CHECKS) {
      r.codes = codeSet(check.codes);
      check.check(resources, r);
    }
    this.fileCache.set(uri, { entry, settingsGen: this.settingsGen, active, findings: r.findings });
    return r.findings;
  }

  /** The findings of every check of one resource, with what they read. */
  private resourceFindings(res: Resource): readonly Finding[] {
    const hit = this.results.get(res);
    if (hit) return hit.findings;
    const r = new Reporter(res.uri, this.index, this.resolver, this.settingsValue);
    const { reads } = this.index.tracker.track(() => {
      for (const check of this.checksOf.get(res.type) ?? []) {
        r.codes = codeSet(check.codes);
        check.check(res, r);
      }
    });
    this.results.set(res, { findings: r.findings, reads });
    this.checkedIn.add(res.uri, res);
    for (const symbol of reads) this.readers.add(symbol, res);
    return r.findings;
  }
}

const codeSets = new WeakMap<readonly string[], ReadonlySet<string>>();

function codeSet(codes: readonly string[]): ReadonlySet<string> {
  let set = codeSets.get(codes);
  if (!set) codeSets.set(codes, (set = new Set(codes)));
  return set;
}

export function sortFindings(list: Finding[]): Finding[] {
  return list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character
    || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
