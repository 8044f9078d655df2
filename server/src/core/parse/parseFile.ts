import { parseAllDocuments, isScalar, visit, Scalar, type Document } from 'yaml';
import { LineIndex } from '../lineIndex';
import { parseWithLenientQuotes } from './lenientQuotes';
import type { Span } from '../types';

/** One `---` document of a manifest file. */
export interface ParsedDocument {
  readonly index: number;
  readonly doc: Document.Parsed;
  /** Offsets of the document in the file, including its `---` marker. */
  readonly span: Span;
}

export interface SyntaxProblem {
  readonly code: 'yaml-syntax' | 'yaml-duplicate-key' | 'template-skipped' | 'file-skipped';
  readonly span: Span;
  readonly message: string;
  /** Set for `//` lines so a quick fix can turn them into `#` comments. */
  readonly slashComment?: boolean;
}

export interface ParsedFile {
  readonly uri: string;
  readonly version: number | string;
  readonly text: string;
  readonly lines: LineIndex;
  /** The parsed documents (only while a document is being modelled; never kept in the index). */
  readonly documents?: readonly ParsedDocument[];
  readonly problems: readonly SyntaxProblem[];
  /** True for Helm/Go-template files: they are not analysed further. */
  readonly templated: boolean;
}

/** A file that is not analysed (too large, binary, not UTF-8): one finding says why. */
export function skippedFile(uri: string, reason: string): ParsedFile {
  return {
    uri, version: `skipped:${reason}`, text: '', lines: new LineIndex(''), documents: [], templated: false,
    problems: [{ code: 'file-skipped', span: { start: 0, end: 0 }, message: `Not analysed: ${reason}.` }],
  };
}

const HELM_EXPRESSION = /^-?\s*(\.(Values|Release|Chart|Capabilities|Template|Files)\b|(include|template|tpl|toYaml|required)\s)/;
const SLASH_LINE = /^\uFEFF?[ \t]*\/\//gm;

/**
 * Parses a manifest file into documents, keeping exact offsets, with two recoveries the YAML
 * parser cannot do on its own: `//` "comments" (reported, then treated as `#` comments so the
 * rest of the document resolves) and template files (reported once, never as YAML noise).
 */
export function parseManifestFile(uri: string, version: number | string, text: string): ParsedFile {
  const lines = new LineIndex(text);
  let docs = parseDocs(text);

  // Only pay for a scalar walk when a suspicious construct is present at all.
  const mayBeTemplate = text.includes('{{');
  const slashCandidates = findSlashLines(text);
  if (mayBeTemplate || slashCandidates.length > 0) {
    const protectedSpans = quotedAndBlockScalarSpans(docs);
    if (mayBeTemplate) {
      const at = firstTemplateExpression(text, lines, protectedSpans);
      if (at) {
        return {
          uri, version, text, lines, documents: [], templated: true,
          problems: [{
            code: 'template-skipped', span: at,
            message: 'Template file (Helm/Go template syntax): not analysed. Render it (e.g. `helm template`) to check the output.',
          }],
        };
      }
    }
    const slashLines = slashCandidates.filter((o) => !insideAny(o, protectedSpans));
    if (slashLines.length > 0) {
      const problems: SyntaxProblem[] = slashLines.map((o) => ({
        code: 'yaml-syntax' as const,
        span: { start: o.start, end: lines.lineEnd(lines.positionAt(o.start).line) },
        message: '`//` does not start a comment in YAML: comments start with `#`. The line is treated as a comment.',
        slashComment: true,
      }));
      // Same length, so every offset stays valid: "//" becomes "#/".
      let patched = text;
      for (const o of slashLines) patched = patched.slice(0, o.start) + '#' + patched.slice(o.start + 1);
      docs = parseDocs(patched);
      return finish(uri, version, text, lines, docs, problems);
    }
  }
  return finish(uri, version, text, lines, docs, []);
}

function parseDocs(text: string): Document.Parsed[] {
  const docs = parseStrict(text);
  return parseWithLenientQuotes(text, docs, parseStrict);
}

function parseStrict(text: string): Document.Parsed[] {
  // A lone CR is a YAML 1.2 line break that the parser does not take: read it as LF (same length,
  // so every offset stays valid). toJS is never called, so aliases cannot expand here.
  const source = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  // The parser's own duplicate-key check compares each key with every earlier one (quadratic);
  // duplicateKeys() below does it with a set per mapping.
  // Every error the parser reports is an Error; their stack traces are never read, and capturing
  // them was a third of the time spent on templates and broken files (a `yaml` error per token).
  const errors = Error as { stackTraceLimit?: number };
  const limit = errors.stackTraceLimit;
  errors.stackTraceLimit = 0;
  try {
    const result = parseAllDocuments(source, { prettyErrors: false, uniqueKeys: false, keepSourceTokens: false });
    return Array.isArray(result) ? result : [];
  } finally {
    errors.stackTraceLimit = limit;
  }
}

/** Offsets of keys repeated in one mapping (scalar keys), in linear time. */
function duplicateKeys(doc: Document.Parsed): number[] {
  const out: number[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const k = pair.key;
        if (!isScalar(k) || !k.range) continue;
        const text = String(k.value);
        if (seen.has(text)) out.push(k.range[0]);
        else seen.add(text);
      }
    },
  });
  return out;
}

function finish(
  uri: string, version: number | string, text: string, lines: LineIndex,
  docs: Document.Parsed[], problems: SyntaxProblem[],
): ParsedFile {
  const documents: ParsedDocument[] = [];
  const seenLines = new Set<number>();
  for (const p of problems) seenLines.add(lines.positionAt(p.span.start).line);
  docs.forEach((doc, index) => {
    const [start, , end] = doc.range;
    documents.push({ index, doc, span: { start, end } });
    if (doc.errors.some((e) => e.code === 'RESOURCE_EXHAUSTION')) {
      // The parser gave up on the nesting depth: one clear finding, nothing read from the document.
      problems.push({ code: 'file-skipped', span: { start, end: Math.min(text.length, text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start)) }, message: 'This document is not analysed: it is nested too deeply.' });
      documents.pop();
      return;
    }
    const errors: { code: string; message: string; pos: [number, number] }[] = [...doc.errors];
    for (const at of duplicateKeys(doc)) errors.push({ code: 'DUPLICATE_KEY', message: 'Map keys must be unique', pos: [at, at + 1] });
    errors.sort((a, b) => a.pos[0] - b.pos[0]);
    for (const e of errors) {
      let startOffset = Math.min(e.pos[0], text.length);
      if (e.code === 'MISSING_CHAR' && /quote/i.test(e.message)) startOffset = openingQuote(text, startOffset, e.message.includes('"') ? '"' : "'") ?? startOffset;
      const line = lines.positionAt(startOffset).line;
      // The parser often reports one mistake several times at the same place; one is enough.
      if (seenLines.has(line)) continue;
      seenLines.add(line);
      const duplicate = e.code === 'DUPLICATE_KEY';
      const key = duplicate ? duplicateKeyText(text, startOffset) : '';
      let endOffset = Math.max(e.pos[1], startOffset + Math.max(1, key.length));
      if (endOffset - startOffset <= 1) endOffset = tokenEnd(text, startOffset, lines.lineEnd(line));
      endOffset = Math.min(endOffset, lines.lineEnd(line), text.length);
      if (endOffset <= startOffset) endOffset = Math.min(text.length, startOffset + 1);
      problems.push({
        code: duplicate ? 'yaml-duplicate-key' : 'yaml-syntax',
        span: { start: startOffset, end: endOffset },
        message: duplicate
          ? `Duplicate key${key ? ` \`${key}\`` : ''}: a mapping may hold each key once; Kubernetes keeps only the last value.`
          : syntaxMessage(e.code, e.message, text, lines, line),
      });
    }
  });
  problems.sort((a, b) => a.span.start - b.span.start);
  return { uri, version, text, lines, documents, problems, templated: false };
}

/** End of the token starting at `start` (a run of non-blank characters), at least one character. */
function tokenEnd(text: string, start: number, lineEnd: number): number {
  let i = start;
  while (i < lineEnd && !/\s/.test(text[i]!)) i++;
  return Math.max(i, Math.min(start + 1, text.length));
}

/**
 * The parser reports an unclosed quote where the file (or document) ends; the mistake is where the
 * quote opened: the nearest line above with an odd number of that quote character.
 */
function openingQuote(text: string, from: number, quote: string): number | undefined {
  let lineEnd = from;
  for (let guard = 0; guard < 5000 && lineEnd > 0; guard++) {
    const lineStart = text.lastIndexOf('\n', lineEnd - 1) + 1;
    const line = text.slice(lineStart, lineEnd);
    const count = line.split(quote).length - 1 - (quote === "'" ? 2 * (line.split("''").length - 1) : (line.split('\\"').length - 1));
    if (count % 2 === 1) return lineStart + line.indexOf(quote);
    lineEnd = lineStart - 1;
  }
  return undefined;
}

function duplicateKeyText(text: string, start: number): string {
  const m = /^("[^"\n]*"|'[^'\n]*'|[^:\n#]*?)\s*:(\s|$)/.exec(text.slice(start, start + 300));
  return (m ? m[1]! : '').trim();
}

/**
 * The parser's message, plus what usually causes it in hand-written manifests: a key indented
 * under a line that already has a value.
 */
function syntaxMessage(code: string, message: string, text: string, lines: LineIndex, line: number): string {
  const base = `YAML: ${firstLine(message)}`;
  if (code !== 'BLOCK_AS_IMPLICIT_KEY' && code !== 'MULTILINE_IMPLICIT_KEY') return base;
  const here = lines.lineText(line);
  const next = line + 1 < lines.lineCount ? lines.lineText(line + 1) : '';
  const kv = /^(\s*)(-\s+)?([^\s:#][^:#]*):\s+\S/.exec(here);
  const nested = /^(\s*)([^\s:#][^:#]*):(\s|$)/.exec(next);
  if (kv && nested && nested[1]!.length > kv[1]!.length) {
    return `${base}: \`${nested[2]!.trim()}:\` on the next line is indented under \`${kv[3]!.trim()}\`, which already has a value. Align it with \`${kv[3]!.trim()}:\` (or move the value).`;
  }
  void text;
  return base;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).replace(/ at line \d+, column \d+:?$/, '');
}

function findSlashLines(text: string): Span[] {
  if (!text.includes('//')) return [];
  const out: Span[] = [];
  SLASH_LINE.lastIndex = 0;
  for (let m = SLASH_LINE.exec(text); m; m = SLASH_LINE.exec(text)) {
    const start = m.index + m[0].length - 2;
    out.push({ start, end: start + 2 });
    if (m[0].length === 0) SLASH_LINE.lastIndex++;
  }
  return out;
}

/** Spans of quoted and block scalars: `{{` or `//` inside them is content, not syntax. */
function quotedAndBlockScalarSpans(docs: readonly Document.Parsed[]): Span[] {
  const spans: Span[] = [];
  for (const doc of docs) {
    visit(doc, {
      Scalar(_key, node) {
        if (isScalar(node) && node.range && node.type !== Scalar.PLAIN) {
          spans.push({ start: node.range[0], end: node.range[1] });
        }
      },
    });
  }
  spans.sort((a, b) => a.start - b.start);
  return spans;
}

function insideAny(span: Span, sorted: readonly Span[]): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sorted[mid]!;
    if (s.end <= span.start) lo = mid + 1;
    else if (s.start > span.start) hi = mid - 1;
    else return true;
  }
  // Spans can nest only for flow collections of scalars, which never overlap; a linear fallback
  // is not needed.
  return false;
}

function firstTemplateExpression(text: string, lines: LineIndex, protectedSpans: readonly Span[]): Span | undefined {
  // Only a file that looks like Kubernetes can be a Kubernetes template.
  if (!/^[ \t]*(apiVersion|kind)[ \t]*:/m.test(text)) return undefined;
  for (let i = text.indexOf('{{'); i >= 0; i = text.indexOf('{{', i + 2)) {
    // `${{ … }}` is a GitHub Actions (or similar CI) expression, not a Go template.
    if (i > 0 && text.charCodeAt(i - 1) === 36 /* $ */) continue;
    const span = { start: i, end: i + 2 };
    // Inside a quoted or block scalar, `{{ }}` is usually content (Prometheus, Grafana, Go templates
    // of an application); Helm's own objects and functions still mark a template file.
    if (insideAny(span, protectedSpans) && !HELM_EXPRESSION.test(text.slice(i + 2, i + 40))) continue;
    const line = lines.positionAt(i).line;
    const before = text.slice(lines.lineStart(line), i);
    if (/(^|\s)#/.test(before)) continue; // inside a YAML comment
    const close = text.indexOf('}}', i + 2);
    const lineEnd = lines.lineEnd(line);
    return { start: i, end: close >= 0 && close + 2 <= lineEnd ? close + 2 : lineEnd };
  }
  return undefined;
}
