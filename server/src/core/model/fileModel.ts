import { parseManifestFile, type ParsedFile, type SyntaxProblem } from '../parse/parseFile';
import { peekKind, skeleton, splitDocuments, type DocumentSlice } from '../parse/documents';
import { LineIndex } from '../lineIndex';
import type { Span } from '../types';
import { extractResources } from './extract';
import type { Resource } from './resources';
import type { ModelCatalog } from './catalog';
import { kustomizationPatchRefs } from './kustomizeRefs';
import { fastScanEnabled, scanModel } from './fastModel';

/** What one `---` document yields, with offsets relative to the document's start. */
export interface DocumentResult {
  readonly problems: readonly SyntaxProblem[];
  readonly resources: readonly Resource[];
  readonly templateAt?: Span;
  /** The body was not parsed (a large object of a kind no rule reads); syntax is checked later. */
  readonly partial: boolean;
  /** Paths a kustomization in this document uses as patches (relative to the file). */
  readonly patchRefs: readonly string[];
}

const IDENTITY_KEYS = new Set(['apiVersion', 'kind', 'metadata']);
/** Documents smaller than this are always parsed whole (0: every unmodelled document is read by identity). */
const SKIP_BODY_MIN = 0;

export interface ParseOptions {
  /** Read only the identity of large documents no rule inspects (CRD schemas, dashboards). */
  readonly skipBodies: boolean;
  /** How each kind is modelled (core/kinds/registry.ts). */
  readonly catalog: ModelCatalog;
  /** Try the fast scanner first (default: on unless setFastScan(false)); false: always the `yaml` package. */
  readonly fastScan?: boolean;
}

/**
 * Models one document. Never throws: if the parser or the model gives up (a pathological input),
 * the document gets one `file-skipped` finding saying so and contributes nothing else.
 */
export function analyzeDocument(text: string, options: ParseOptions, ownText = false): DocumentResult {
  try {
    return analyzeDocumentUnguarded(ownText ? ownCopy(text) : text, options);
  } catch (e) {
    const reason = e instanceof RangeError ? 'it is nested too deeply' : `it could not be read (${e instanceof Error ? e.message : String(e)})`;
    return {
      problems: [{ code: 'file-skipped', span: { start: 0, end: Math.min(text.length, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')) }, message: `This document is not analysed: ${reason}.` }],
      resources: [], partial: false, patchRefs: [],
    };
  }
}

/**
 * The document's text as a string of its own. A slice of the file's text is a view that keeps the
 * whole file alive, and so is every name and label the parser cuts from it. That is free for the
 * first version (the index holds the file's text anyway), but a result reused across edits would
 * pin each old version of the file: +87 MB of retained heap after 50 keystrokes in the corpus's
 * 3.5 MB file. Concatenation and a slice make V8 flatten the document into fresh memory.
 */
function ownCopy(text: string): string {
  return (' ' + text).slice(1);
}

function analyzeDocumentUnguarded(text: string, options: ParseOptions): DocumentResult {
  let source = text;
  let partial = false;
  const fast = options.fastScan ?? fastScanEnabled();
  if (fast) {
    // The scanner checks a whole body about as fast as the skeleton below blanks it, and then the
    // document needs no completion later.
    const scanned = scanModel(text, options.catalog);
    if (scanned) return { problems: scanned.problems, resources: scanned.resources, partial: false, patchRefs: scanned.patchRefs };
  }
  if (options.skipBodies && text.length >= SKIP_BODY_MIN && !text.includes('{{')) {
    const kind = peekKind(text);
    if (kind && !options.catalog.isModelled(kind) && kind !== 'Kustomization' && !kind.endsWith('List')) {
      const sk = skeleton(text, IDENTITY_KEYS);
      if (sk !== undefined) {
        source = sk;
        partial = true;
      }
    }
  }
  const model: DocumentModel = (fast && partial ? scanModel(source, options.catalog) : undefined) ?? fullModel(source, options.catalog);
  let resources = model.resources;
  // A skeleton's object ends where the kept blocks end; the object itself spans the document.
  if (partial) resources = resources.map((r) => ({ ...r, span: { start: r.span.start, end: Math.max(r.span.end, text.trimEnd().length) } }));
  return {
    problems: model.problems,
    resources,
    ...(model.templateAt ? { templateAt: model.templateAt } : {}),
    partial,
    patchRefs: model.patchRefs,
  };
}

interface DocumentModel { problems: readonly SyntaxProblem[]; resources: Resource[]; templateAt?: Span; patchRefs: string[] }

/** A document read by the `yaml` package (the slow path; every problem and recovery is here). */
function fullModel(source: string, catalog: ModelCatalog): DocumentModel {
  const parsed = parseManifestFile('', 0, source);
  const templateProblem = parsed.templated ? parsed.problems.find((p) => p.code === 'template-skipped') : undefined;
  return {
    problems: parsed.problems,
    resources: parsed.templated ? [] : extractResources(parsed, catalog),
    ...(templateProblem ? { templateAt: templateProblem.span } : {}),
    patchRefs: kustomizationPatchRefs(parsed),
  };
}

export interface FileSlice extends DocumentSlice {
  readonly result: DocumentResult;
}

export interface FileModel {
  readonly parsed: ParsedFile;
  readonly resources: readonly Resource[];
  readonly slices: readonly FileSlice[];
  readonly patchRefs: readonly string[];
  /** Some documents were read partially (see DocumentResult.partial). */
  readonly partial: boolean;
  /**
   * Parallel to `resources`: each one's model as its document yielded it (offsets relative to the
   * document). Two models of one file with the same origin have the same content, only placed
   * elsewhere: the index and the analyzer keep what they know of one for the other.
   */
  readonly origins?: readonly Resource[];
}

/**
 * Builds a file's model document by document, reusing the results of documents whose text did
 * not change since `previous` (an edit touches one `---` document; the others are only moved).
 */
export function buildFileModel(uri: string, version: number | string, text: string, previous: FileModel | undefined, options: ParseOptions): FileModel {
  const steps = buildFileModelSteps(uri, version, text, previous, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * buildFileModel one document at a time: yields after each document it parses, so that a host can
 * answer requests between documents of a very large file (5,000 objects take over a second).
 */
export function* buildFileModelSteps(
  uri: string, version: number | string, text: string, previous: FileModel | undefined, options: ParseOptions,
): Generator<void, FileModel, void> {
  const reuse = new Map<string, DocumentResult>();
  if (previous) for (const s of previous.slices) reuse.set(s.text, s.result);
  const slices: FileSlice[] = [];
  for (const slice of splitDocuments(text)) {
    let result = reuse.get(slice.text);
    if (!result) {
      // On an edit, a re-parsed document keeps only its own text alive (see ownCopy).
      result = analyzeDocument(slice.text, options, previous !== undefined);
      yield;
    }
    slices.push({ ...slice, result });
  }
  return assemble(uri, version, text, slices, previous);
}

/** Parses the partially read documents of a file in full (for their syntax errors). */
export function completeFileModel(model: FileModel, catalog: ModelCatalog): FileModel {
  if (!model.partial) return model;
  const slices: FileSlice[] = [];
  for (const s of model.slices) slices.push(s.result.partial ? { ...s, result: analyzeDocument(s.text, { skipBodies: false, catalog }) } : s);
  return assemble(model.parsed.uri, model.parsed.version, model.parsed.text, slices, model);
}

/**
 * The file's model from its documents'. A resource whose document is unchanged and in the same
 * place is `previous`'s object itself, so that a keystroke in one document of a large file leaves
 * the others' objects (and everything cached about them) as they were.
 */
function assemble(uri: string, version: number | string, text: string, slices: FileSlice[], previous?: FileModel): FileModel {
  const lines = new LineIndex(text);
  const templated = slices.find((s) => s.result.templateAt);
  if (templated) {
    const at = shiftSpan(templated.result.templateAt!, templated.start);
    const problem = templated.result.problems.find((p) => p.code === 'template-skipped')!;
    return {
      parsed: { uri, version, text, lines, problems: [{ ...problem, span: at }], templated: true },
      resources: [], slices, patchRefs: [], partial: false,
    };
  }
  const placed = new Map<Resource, Resource>();
  if (previous?.origins && previous.parsed.uri === uri) previous.origins.forEach((o, i) => placed.set(o, previous.resources[i]!));
  const reused = new Set<Resource>();
  const problems: SyntaxProblem[] = [];
  const resources: Resource[] = [];
  const origins: Resource[] = [];
  const patchRefs: string[] = [];
  slices.forEach((s, docIndex) => {
    for (const p of s.result.problems) problems.push({ ...p, span: shiftSpan(p.span, s.start) });
    for (const r of s.result.resources) {
      // The previous object of the same document content keeps its identity (and everything cached
      // about it): in place when its document did not move, re-placed when it did (an edit above it).
      // A document repeated in the file shares its origins: each previous object serves once.
      const before = placed.get(r);
      if (before && !reused.has(before)) {
        reused.add(before);
        const delta = r.span.start + s.start - before.span.start;
        if (delta !== 0 || before.docIndex !== docIndex) replace(before, delta, docIndex);
        resources.push(before);
      } else {
        resources.push(rebase(r, uri, docIndex, s.start));
      }
      origins.push(r);
    }
    patchRefs.push(...s.result.patchRefs);
  });
  return {
    parsed: { uri, version, text, lines, problems, templated: false },
    resources, slices, patchRefs, partial: slices.some((s) => s.result.partial), origins,
  };
}

function shiftSpan(s: Span, delta: number): Span {
  return { start: s.start + delta, end: s.end + delta };
}

/** A copy of a document's resource placed in its file: every span shifted, uri and index set. */
function rebase(r: Resource, uri: string, docIndex: number, delta: number): Resource {
  const copy = shiftAll(r, delta) as Resource;
  return { ...copy, uri, docIndex };
}

/**
 * Re-places a resource whose document moved within its file: its spans shifted and its document
 * index set, in place. Only assemble does this, on objects it made (rebase copies every span, so
 * none is shared), before the new model is indexed: the lookup keys of a resource are its content,
 * which a move does not change, so the tables and the cached check results stay valid (findings
 * are kept as line/character ranges; those of a document whose lines moved are re-checked, see
 * WorkspaceIndex.linesAt).
 */
function replace(r: Resource, delta: number, docIndex: number): void {
  if (delta !== 0) shiftInPlace(r, delta);
  (r as { docIndex: number }).docIndex = docIndex;
}

function shiftInPlace(v: unknown, delta: number): void {
  if (v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) shiftInPlace(x, delta);
    return;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (isSpan(o, keys)) {
    o.start = (o.start as number) + delta;
    o.end = (o.end as number) + delta;
    return;
  }
  for (const k of keys) shiftInPlace(o[k], delta);
}

/** A span is an object of exactly two numbers, `start` and `end`. */
function isSpan(o: Record<string, unknown>, keys: readonly string[]): boolean {
  return keys.length === 2 && typeof o.start === 'number' && typeof o.end === 'number';
}

function shiftAll(v: unknown, delta: number): unknown {
  if (Array.isArray(v)) return v.map((x) => shiftAll(x, delta));
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (isSpan(o, keys)) return { start: (o.start as number) + delta, end: (o.end as number) + delta };
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = shiftAll(o[k], delta);
  return out;
}

/** A file model as plain JSON: what a worker sends back and what the persisted index stores. */
export interface StoredFileModel {
  readonly version: number | string;
  readonly slices: readonly { readonly start: number; readonly end: number; readonly result: DocumentResult }[];
}

export function toStored(model: FileModel): StoredFileModel {
  return { version: model.parsed.version, slices: model.slices.map((s) => ({ start: s.start, end: s.end, result: s.result })) };
}

/** Rebuilds a file model from its stored form and the file's text (which must be the text it was built from). */
export function fromStored(uri: string, text: string, stored: StoredFileModel): FileModel {
  const slices: FileSlice[] = stored.slices.map((s) => ({ start: s.start, end: s.end, text: text.slice(s.start, s.end), result: s.result }));
  return assemble(uri, stored.version, text, slices);
}

/**
 * The documents (by index) whose positions differ between two versions of a file: document k keeps
 * its line/character mapping when its text and its first line are the same in both (an edit that
 * adds no line break moves no other document, in lines). A missing version: all of the other's.
 */
export function movedDocuments(before: FileModel | undefined, after: FileModel | undefined): number[] {
  const out: number[] = [];
  const n = Math.max(before?.slices.length ?? 0, after?.slices.length ?? 0);
  for (let k = 0; k < n; k++) {
    const a = before?.slices[k];
    const b = after?.slices[k];
    if (a && b && (a.result === b.result || a.text === b.text) && before!.parsed.lines.positionAt(a.start).line === after!.parsed.lines.positionAt(b.start).line) continue;
    out.push(k);
  }
  return out;
}
