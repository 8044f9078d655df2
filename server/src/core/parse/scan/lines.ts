/**
 * A cursor over the lines of one document for the fast scanner: where the current line starts and
 * ends, its indentation, and whether it is blank, a comment or content. Tabs and lone CRs are
 * rejected up front (the scanner then leaves the document to the full parser).
 */

/** Marker: `---`, `...` or a `%` directive at column 0. */
export enum LineKind { Blank, Comment, Content, End, Marker }

export class Lines {
  /** Start of the current line (after a BOM on the first line). */
  ls = 0;
  /** Index of its `\n` (or the text's length). */
  le = 0;
  /** End of its content: before a `\r\n`. */
  ce = 0;
  /** First non-space character. */
  cs = 0;
  indent = 0;
  /** Where the document ends when the current line is the end: the text's end, or a final `...` line. */
  endAt = 0;
  private k: LineKind = LineKind.End;
  readonly n: number;

  constructor(readonly text: string, start: number) {
    this.n = text.length;
    this.at(start);
  }

  /** The offset after the current line's newline (the next line's start), or the text's end. */
  get next(): number {
    return this.le < this.n ? this.le + 1 : this.n;
  }

  at(ls: number): void {
    const text = this.text;
    this.ls = ls;
    if (ls >= this.n) {
      this.le = this.ce = this.cs = this.endAt = this.n;
      this.indent = 0;
      this.k = LineKind.End;
      return;
    }
    let le = text.indexOf('\n', ls);
    if (le < 0) le = this.n;
    this.le = le;
    this.ce = le > ls && text.charCodeAt(le - 1) === 13 ? le - 1 : le;
    let i = ls;
    while (i < this.ce && text.charCodeAt(i) === 32) i++;
    this.cs = i;
    this.indent = i - ls;
    this.k = i === this.ce ? LineKind.Blank : text.charCodeAt(i) === 35 ? LineKind.Comment : i === ls && this.markerAt(ls) ? LineKind.Marker : LineKind.Content;
    if (this.k === LineKind.Marker && this.next >= this.n && /^\.\.\. *$/.test(text.slice(ls, this.ce))) {
      // `...` ending the document (splitDocuments cuts after it): the document ends where it starts.
      this.k = LineKind.End;
      this.endAt = ls;
    }
  }

  /** What the current line is (a method, so that it is read anew after each move). */
  kind(): LineKind {
    return this.k;
  }

  /** A blank or comment line. */
  trivia(): boolean {
    return this.k === LineKind.Blank || this.k === LineKind.Comment;
  }

  advance(): void {
    this.at(this.next);
  }

  /** Is the current line `-` followed by a space or its end (a block sequence entry)? */
  get isDash(): boolean {
    if (this.text.charCodeAt(this.cs) !== 45) return false;
    return this.cs + 1 === this.ce || this.text.charCodeAt(this.cs + 1) === 32;
  }

  /** A document marker or a directive (`---`, `...`, `%`) at `ls`, the start of a line. */
  private markerAt(ls: number): boolean {
    const c = this.text.charCodeAt(ls);
    if (c === 37) return true;
    if (c !== 45 && c !== 46) return false;
    const s = this.text.substr(ls, 3);
    if (s !== '---' && s !== '...') return false;
    const d = ls + 3;
    return d >= this.ce || this.text.charCodeAt(d) === 32;
  }
}

/**
 * Tabs anywhere, a CR that does not end a line, a BOM after the start, or one that the parser
 * reads with a quirk (before spaces or a `- `): the scanner does not take the document.
 */
export function unsupportedChars(text: string): boolean {
  if (text.includes('\t') || text.indexOf('\uFEFF', 1) >= 0) return true;
  if (text.charCodeAt(0) === 0xfeff && (text.charCodeAt(1) === 32 || (text.charCodeAt(1) === 45 && !text.startsWith('---', 1)))) return true;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) !== 10) return true;
  }
  return false;
}
