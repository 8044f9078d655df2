import { Analyzer, sortFindings } from '../analyzer';
import { LineIndex } from '../lineIndex';
import type { FeatureContext } from '../facts/context';
import type { IndexedFile } from '../index/workspaceIndex';
import type { RenderedDocument, VariantRender } from '../render/types';
import type { AnalysisSettings } from '../rules/context';
import { NEVER_CANCELLED, type CancellationToken, type Finding, type Range } from '../types';
import { FindingMapper, mergeVariantFindings, RENDER_SCHEME, type MappedVariant } from './mapping';
import { SourceIndex } from './sourceMap';

/** One variant: its render, the files it was rendered from, and its own cluster's analysis. */
export interface Variant extends MappedVariant {
  readonly render: VariantRender;
  /** Workspace files the variant is made of (they leave the plain view). */
  readonly members: ReadonlySet<string>;
  /** Per rendered document, the workspace files its source map points into. */
  readonly sourcesOf: ReadonlyMap<string, ReadonlySet<string>>;
  /** Findings the renderer adds to a rendered document's (in its coordinates), e.g. references a build broke. */
  readonly extras?: VariantExtras;
}

/** Keeps some variants of the workspace current (native Kustomize, Helm). */
export interface VariantDriver {
  /** These files were created, edited or deleted since the last call. */
  changed(uris: ReadonlySet<string>): void;
}

/** Findings a renderer knows to add to a rendered document of a variant (in its coordinates). */
export interface VariantExtras {
  findings(v: Variant, docUri: string): Finding[];
  /** Codes an extra finding replaces at its position (a generic "missing" the renderer explains). */
  readonly supersedes: ReadonlySet<string>;
}

/**
 * The analysis of a workspace as it is applied: the plain view (files in no variant) and one
 * cluster per variant (a Kustomize root, a Helm chart with a values file), each made of its
 * rendered documents plus the plain files. Variants do not see each other (contracts.md).
 *
 * The plain analysis holds every file's text (members too: their parse problems are reported,
 * their resources are not analysed there). Each variant's analysis shares the plain files' models
 * and adds its rendered documents; only those are checked, and their findings are mapped back to
 * the lines they came from.
 */
export class Workspace {
  readonly plain: Analyzer;
  private readonly variants = new Map<string, Variant>();
  private readonly sources = new SourceIndex();
  private readonly mapper: FindingMapper;
  private members = new Set<string>();
  /** Why a templated file is not rendered (no helm, Restricted Mode, not a whole chart): its `template-skipped` says so. */
  private templateNotes: ReadonlyMap<string, string> = new Map();
  private readonly sourceLines = new Map<string, LineIndex>();
  private dirty = new Set<string>();
  /** Renderers that make variants of the workspace's files (Kustomize, Helm). */
  private readonly drivers: VariantDriver[] = [];
  /** Files changed since the drivers last heard of it. */
  private pending = new Set<string>();

  constructor(settings: Partial<AnalysisSettings> = {}, private readonly options: { readonly skipBodies: boolean } = { skipBodies: false }) {
    this.plain = new Analyzer(settings, options);
    this.mapper = new FindingMapper((uri) => this.plain.index.file(uri)?.parsed.lines ?? this.renderedSource(uri));
  }

  get settings(): AnalysisSettings {
    return this.plain.settings;
  }

  set settings(s: AnalysisSettings) {
    this.plain.settings = s;
    for (const v of this.variants.values()) v.analyzer.settings = s;
    for (const v of this.variants.values()) this.markVariantDirty(v);
  }

  /** Every workspace file's text and model (the plain analysis holds them all). */
  get index(): Analyzer['index'] {
    return this.plain.index;
  }

  /** The plain view's resolver (a Workspace is the plain view's FeatureContext). */
  get resolver(): Analyzer['resolver'] {
    return this.plain.resolver;
  }

  // ------------------------------------------------------------------ files

  updateFile(uri: string, version: number | string, text: string): IndexedFile {
    const entry = this.plain.updateFile(uri, version, text);
    this.share(uri);
    return entry;
  }

  /** A file's new model built in steps (see Analyzer.fileModelSteps); hand the result to addFileModel. */
  fileModelSteps(uri: string, version: number | string, text: string): Generator<void, IndexedFile, void> | undefined {
    return this.plain.fileModelSteps(uri, version, text);
  }

  addFileModel(uri: string, model: IndexedFile): void {
    this.plain.addFileModel(uri, model);
    this.share(uri);
  }

  removeFile(uri: string): void {
    this.plain.removeFile(uri);
    this.share(uri);
  }

  markSkipped(uri: string, reason: string): void {
    this.plain.markSkipped(uri, reason);
    this.share(uri);
  }

  completeFile(uri: string): boolean {
    const done = this.plain.completeFile(uri);
    if (done) this.share(uri);
    return done;
  }

  /** A renderer that keeps variants current; it hears of changed files before findings are read. */
  addDriver(driver: VariantDriver): void {
    this.drivers.push(driver);
    for (const uri of this.plain.index.uris()) this.pending.add(uri);
  }

  /** A file that may not be indexed (a chart helper, a JSON patch) changed on disk: the drivers hear of it. */
  touched(uri: string): void {
    if (this.drivers.length) this.pending.add(uri);
  }

  removeDriver(driver: VariantDriver): void {
    const i = this.drivers.indexOf(driver);
    if (i >= 0) this.drivers.splice(i, 1);
  }

  /** Lets the drivers re-render what the files changed since last time affect. */
  settle(): void {
    if (this.pending.size === 0 || this.drivers.length === 0) return;
    const changed = this.pending;
    this.pending = new Set();
    for (const d of this.drivers) d.changed(changed);
  }

  /** Gives every variant the plain file's current model (the same object), or takes it away. */
  private share(uri: string): void {
    if (this.drivers.length) this.pending.add(uri);
    const entry = this.members.has(uri) ? undefined : this.plain.index.file(uri);
    for (const v of this.variants.values()) {
      if (!entry) v.analyzer.removeFile(uri);
      else if (v.analyzer.index.file(uri) !== entry) v.analyzer.addFileModel(uri, entry);
    }
  }

  // ------------------------------------------------------------------ variants

  /** Adds or replaces a variant with a new render. */
  setVariant(render: VariantRender, members: ReadonlySet<string>, extras?: VariantExtras): void {
    const old = this.variants.get(render.name);
    if (old) this.markVariantDirty(old);
    const analyzer = old?.analyzer ?? this.newVariantAnalyzer();
    const docs = new Map<string, RenderedDocument>();
    for (const d of bySourceFile(render.name, render.documents ?? [])) docs.set(d.uri, d);
    for (const uri of old?.docs.keys() ?? []) if (!docs.has(uri)) analyzer.removeFile(uri);
    for (const d of docs.values()) analyzer.updateFile(d.uri, 'render', d.text);
    const sourcesOf = new Map<string, Set<string>>();
    for (const d of docs.values()) sourcesOf.set(d.uri, new Set(d.map.map((m) => m.origin.uri)));
    const v: Variant = { name: render.name, render, members, analyzer, docs, sourcesOf, ...(extras ? { extras } : {}) };
    this.variants.set(render.name, v);
    this.sources.remove(render.name);
    for (const d of docs.values()) this.sources.add(render.name, d);
    this.markVariantDirty(v);
    this.refreshMembers();
  }

  removeVariant(name: string): void {
    const v = this.variants.get(name);
    if (!v) return;
    this.markVariantDirty(v);
    this.variants.delete(name);
    this.sources.remove(name);
    this.refreshMembers();
  }

  variantNames(): string[] {
    this.settle();
    return [...this.variants.keys()].sort();
  }

  variant(name: string): Variant | undefined {
    return this.variants.get(name);
  }

  /** The cluster a feature (graph, trace, can-reach) looks at: a variant's, or the plain view. */
  context(variant?: string): FeatureContext {
    this.settle();
    return variant === undefined ? this.plain : this.variants.get(variant)?.analyzer ?? this.plain;
  }

  /** Messages for the `template-skipped` of templated files that are not rendered, by URI. */
  setTemplateNotes(notes: ReadonlyMap<string, string>): void {
    for (const uri of new Set([...this.templateNotes.keys(), ...notes.keys()])) {
      if (this.templateNotes.get(uri) !== notes.get(uri)) this.dirty.add(uri);
    }
    this.templateNotes = notes;
  }

  /** The line index of a source file only a render has (a chart's helpers). */
  private renderedSource(uri: string): LineIndex | undefined {
    for (const v of this.variants.values()) {
      const text = v.render.sources?.get(uri);
      if (text === undefined) continue;
      let lines = this.sourceLines.get(uri);
      if (!lines || lines.text !== text) this.sourceLines.set(uri, (lines = new LineIndex(text)));
      return lines;
    }
    return undefined;
  }

  /** Files some variant is made of. */
  isMember(uri: string): boolean {
    this.settle();
    return this.members.has(uri);
  }

  get sourceIndex(): SourceIndex {
    return this.sources;
  }

  get mapping(): FindingMapper {
    return this.mapper;
  }

  /** Where a place of a variant's cluster is in the workspace: rendered text → its source line; a file → itself. */
  sourceOf(variant: string | undefined, uri: string, range: Range): { readonly uri: string; readonly range: Range } | undefined {
    const v = variant === undefined ? undefined : this.variants.get(variant);
    return v ? this.mapper.location(v, uri, range) : { uri, range };
  }

  private newVariantAnalyzer(): Analyzer {
    const a = new Analyzer(this.plain.settings, this.options);
    for (const uri of this.plain.index.uris()) {
      const entry = this.plain.index.file(uri);
      if (entry && !this.members.has(uri)) a.addFileModel(uri, entry);
    }
    return a;
  }

  /** Members left or joined: the plain view and every variant's plain files follow. */
  private refreshMembers(): void {
    const next = new Set<string>();
    for (const v of this.variants.values()) for (const m of v.members) next.add(m);
    const flipped = [...this.members].filter((u) => !next.has(u));
    for (const u of next) if (!this.members.has(u)) flipped.push(u);
    this.members = next;
    if (flipped.length === 0) return;
    this.plain.setOutside(next);
    for (const u of flipped) this.share(u);
  }

  /** Everything a variant reports lands on its source files and render problems: those are dirty. */
  private markVariantDirty(v: Variant): void {
    for (const sources of v.sourcesOf.values()) for (const s of sources) this.dirty.add(s);
    for (const p of v.render.problems) this.dirty.add(p.uri);
  }

  // ------------------------------------------------------------------ findings

  /** Files whose findings may have changed since the last call. */
  takeDirty(): Set<string> {
    this.settle();
    const out = this.plain.takeDirty();
    for (const v of this.variants.values()) {
      for (const uri of v.analyzer.takeDirty()) for (const s of v.sourcesOf.get(uri) ?? []) out.add(s);
    }
    for (const u of this.dirty) if (this.plain.index.file(u)) out.add(u);
    this.dirty = new Set();
    return out;
  }

  /** Every finding of a workspace file: the plain view's, and each variant's mapped back to it. */
  findings(uri: string, token: CancellationToken = NEVER_CANCELLED): Finding[] {
    this.settle();
    const own = this.templateSkipped(uri, this.plain.findings(uri, token));
    const fromVariants: Finding[] = [];
    for (const name of this.variantNames()) {
      const v = this.variants.get(name)!;
      for (const p of v.render.problems) {
        if (p.uri !== uri) continue;
        const f = this.mapper.problem(name, p, this.settings);
        if (f) fromVariants.push(f);
      }
    }
    for (const [name, docs] of this.sources.documentsFrom(uri)) {
      const v = this.variants.get(name)!;
      for (const doc of docs) {
        if (token.isCancellationRequested) break;
        for (const f of withExtras(v, doc.uri, v.analyzer.findings(doc.uri, token))) {
          const mapped = this.mapper.finding(v, f);
          if (mapped?.uri === uri) fromVariants.push(mapped);
        }
      }
    }
    return fromVariants.length === 0 ? own : sortFindings([...own, ...mergeVariantFindings(fromVariants)]);
  }

  /**
   * A template a variant renders is analysed through the render: its `template-skipped` goes. One
   * that is not rendered says why.
   */
  private templateSkipped(uri: string, own: Finding[]): Finding[] {
    if (!own.some((f) => f.code === 'template-skipped')) return own;
    if (this.members.has(uri)) return own.filter((f) => f.code !== 'template-skipped');
    const note = this.templateNotes.get(uri);
    return note ? own.map((f) => (f.code === 'template-skipped' ? { ...f, message: note } : f)) : own;
  }

  allFindings(token: CancellationToken = NEVER_CANCELLED): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    for (const uri of this.plain.index.uris()) {
      if (token.isCancellationRequested) break;
      out.set(uri, this.findings(uri, token));
    }
    return out;
  }
}

/**
 * The rendered documents of a variant, one virtual file per source file they came from (a base's
 * `deployment.yaml`, a chart's `templates/service.yaml`): `kube-traffic-render://<variant>/<path>`.
 * Messages then name the file people wrote, and paths between files of one variant stay relative.
 */
function bySourceFile(variant: string, documents: readonly RenderedDocument[]): RenderedDocument[] {
  const groups = new Map<string, RenderedDocument[]>();
  for (const d of documents) {
    const main = mainSource(d);
    let g = groups.get(main);
    if (!g) groups.set(main, (g = []));
    g.push(d);
  }
  const out: RenderedDocument[] = [];
  for (const [source, docs] of groups) {
    let text = '';
    const map: RenderedDocument['map'][number][] = [];
    for (const d of docs) {
      if (text) text += text.endsWith('\n') ? '---\n' : '\n---\n';
      const shift = text.length;
      for (const m of d.map) map.push({ ...m, span: { start: m.span.start + shift, end: m.span.end + shift } });
      text += d.text;
    }
    out.push({ uri: `${RENDER_SCHEME}//${encodeURIComponent(variant)}${pathOf(source)}`, text, map });
  }
  return out;
}

/** The file a rendered document mostly came from: the origin of its widest mapping. */
function mainSource(d: RenderedDocument): string {
  let best = d.map[0];
  for (const m of d.map) if (best && m.span.end - m.span.start > best.span.end - best.span.start) best = m;
  return best?.origin.uri ?? d.uri;
}

function pathOf(uri: string): string {
  try {
    return new URL(uri).pathname;
  } catch {
    return `/${encodeURIComponent(uri)}`;
  }
}

/** A document's findings plus the renderer's; a reference the renderer explains loses its generic finding. */
function withExtras(v: Variant, docUri: string, findings: readonly Finding[]): readonly Finding[] {
  const extra = v.extras?.findings(v, docUri) ?? [];
  if (extra.length === 0) return findings;
  const at = new Set(extra.map((f) => `${f.range.start.line}:${f.range.start.character}`));
  const superseded = v.extras!.supersedes;
  return [...findings.filter((f) => !(superseded.has(f.code) && at.has(`${f.range.start.line}:${f.range.start.character}`))), ...extra];
}
