/**
 * Splitting a file into its `---` documents without parsing it. In YAML a line starting with
 * `---` or `...` (followed by a space or the line end) is always a document marker, even where a
 * block or quoted scalar would otherwise continue, so a line scan is exact. Directive lines
 * (`%YAML`, `%TAG`) stay with the document they precede.
 */
export interface DocumentSlice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function splitDocuments(text: string): DocumentSlice[] {
  const cuts: number[] = [0];
  let lastCut = 0;
  let directivePending = false;
  for (const lineStart of markerCandidates(text)) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const c0 = text.charCodeAt(lineStart);
    if (c0 === 45 /* - */ && isMarkerEnd(text, lineStart + 3)) {
      // A `---` right after directives opens the document those directives belong to; a `---`
      // with only blank or comment lines before it opens the first document.
      if (!directivePending && lineStart > lastCut && hasContent(text, lastCut, lineStart)) {
        cuts.push(lineStart);
        lastCut = lineStart;
      }
      directivePending = false;
    } else if (c0 === 46 /* . */ && isMarkerEnd(text, lineStart + 3)) {
      if (lineEnd < text.length) {
        cuts.push(lineEnd + 1);
        lastCut = lineEnd + 1;
      }
      directivePending = false;
    } else if (c0 === 37 /* % */) {
      directivePending = true;
    }
  }
  const slices: DocumentSlice[] = [];
  for (let i = 0; i < cuts.length; i++) {
    const start = cuts[i]!;
    const end = i + 1 < cuts.length ? cuts[i + 1]! : text.length;
    if (end > start || slices.length === 0) slices.push({ start, end, text: text.slice(start, end) });
  }
  return slices;
}

/**
 * Starts of the lines that begin with `---`, `...` or `%`, in order, at most one per `\n` line.
 * Lines are found with indexOf; a text with other line terminators (CR, U+2028, U+2029, which a
 * multiline regex also breaks at) goes through the regex.
 */
function markerCandidates(text: string): number[] {
  const out: number[] = [];
  const isCandidate = (i: number) => {
    const c = text.charCodeAt(i);
    return c === 37 || ((c === 45 || c === 46) && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c);
  };
  if (!/[\r\u2028\u2029]/.test(text)) {
    if (isCandidate(0)) out.push(0);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) if (isCandidate(i + 1)) out.push(i + 1);
    return out;
  }
  const re = /^(?:---|\.\.\.|%)/gm;
  let lineEnd = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > lineEnd) out.push(m.index);
    lineEnd = text.indexOf('\n', m.index);
    if (lineEnd < 0) break;
    re.lastIndex = Math.max(re.lastIndex, lineEnd);
  }
  return out;
}

/** Does text[from, to) hold anything but blank lines, comments and a BOM? */
function hasContent(text: string, from: number, to: number): boolean {
  const re = /^[ \t\uFEFF]*[^\s#]/gm;
  re.lastIndex = from;
  const m = re.exec(text);
  return !!m && m.index < to;
}

function isMarkerEnd(text: string, i: number): boolean {
  if (i >= text.length) return true;
  const c = text.charCodeAt(i);
  return c === 32 || c === 9 || c === 10 || c === 13;
}

const TOP_KEY = /^([A-Za-z_][\w.-]*|"[^"\n]*"|'[^'\n]*')[ \t]*:(?=[ \t]|$)/;

/** The value of a top-level `kind:` line, read without parsing. */
export function peekKind(text: string): string | undefined {
  const m = /^kind:[ \t]*["']?([A-Za-z][A-Za-z0-9]*)["']?[ \t]*(#.*)?\r?$/m.exec(text);
  return m ? m[1] : undefined;
}

/**
 * The document with every top-level block except `keep` blanked out (same length: offsets stay
 * valid) or cut off when it is trailing. Used to read a huge object's identity (apiVersion, kind,
 * metadata) without parsing a schema nobody checks.
 */
export function skeleton(text: string, keep: ReadonlySet<string>): string | undefined {
  const blocks: { key: string; start: number; colon: number }[] = [];
  const slashLines: [number, number][] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const c = text.charCodeAt(lineStart);
    if (c !== 32 && c !== 9 && c !== 35 && c !== 10 && c !== 13) {
      const m = TOP_KEY.exec(text.slice(lineStart, Math.min(lineEnd, lineStart + 200)));
      if (m) blocks.push({ key: m[1]!.replace(/^["']|["']$/g, ''), start: lineStart, colon: lineStart + m[0].length - 1 });
      else if (text.startsWith('//', lineStart)) slashLines.push([lineStart, lineEnd]); // kept: reported at once
      else if (!text.startsWith('---', lineStart) && !text.startsWith('%', lineStart)) return undefined; // flow style or unusual layout
    }
    lineStart = lineEnd + 1;
  }
  let lastKept = -1;
  blocks.forEach((b, i) => { if (keep.has(b.key)) lastKept = i; });
  if (lastKept < 0) return undefined;
  let out = '';
  let last = 0;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (keep.has(b.key)) continue;
    const end = i + 1 < blocks.length ? blocks[i + 1]!.start : text.length;
    out += text.slice(last, b.colon + 1);
    // Trailing blocks are dropped (`spec:` with a null value); earlier ones are blanked in place.
    // `//` lines at column 0 survive either way, so typing one is reported without a full parse.
    let pos = b.colon + 1;
    for (const [s, e] of slashLines) {
      if (s <= b.colon || s >= end) continue;
      out += text.slice(pos, s).replace(/[^\n\r]/g, ' ') + text.slice(s, e);
      pos = e;
    }
    if (i > lastKept) return out;
    out += text.slice(pos, end).replace(/[^\n\r]/g, ' ');
    last = end;
  }
  return out + text.slice(last);
}
