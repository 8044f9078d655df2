import { gaveUp, giveUp, isGiveUp, scanning } from './giveUp';
import { LineKind, Lines, unsupportedChars } from './lines';
import { blockScalar, plainLines, quotedLines, tail } from './multiline';
import { OpaqueNode, ScanMap, ScanPair, ScanScalar, ScanSeq, type ScalarStyle, type ScanNode } from './nodes';
import { doubleQuoted, flowEnd, plainEnd, resolvePlain, singleQuoted } from './scalars';

/**
 * The fast path of the parse: one pass over a block-style document that builds the node tree of
 * scan/nodes.ts, with the offsets the `yaml` package would give every node, and refuses (returns
 * undefined) whatever it does not fully understand, so that the caller parses the document with
 * the `yaml` package instead. A document it accepts has no syntax error, no duplicate key, no
 * anchor, alias or tag, and no template; see test/robustness/fastScan.test.ts for the proof of equality.
 *
 * Ranges. A scalar's `end2` runs over what follows it on its line, the line break, and comment
 * lines indented deeper than its collection that come before any shallower comment (the parser
 * attaches them to the scalar). A collection ends where its last value's `end2` ends; comments
 * after its last value stay in it (widening its `end2` to the next content line) unless the
 * collection is at column 0 or every such comment is indented less than it. An empty value ends
 * after its indicator and the spaces that follow; with comments around it, its `end2` follows
 * the parser's split of the trivia between it and the next key.
 */

/** Comment lines left after a collection's last value (they may widen the collection that keeps them). */
interface Trail { readonly comment: boolean; readonly maxIndent: number }
const NO_TRAIL: Trail = { comment: false, maxIndent: -1 };


/** The root of a scanned document (undefined: only comments and blank lines), or undefined when the full parser must read it. */
export function scanDocument(text: string): { readonly root: ScanNode | undefined } | undefined {
  if (unsupportedChars(text)) {
    gaveUp('a tab, a lone CR or a BOM the scanner does not take');
    return undefined;
  }
  try {
    return { root: new Scanner(text).document() };
  } catch (e) {
    if (isGiveUp(e)) return undefined;
    throw e;
  }
}

class Scanner {
  private readonly l: Lines;
  private depth = 0;
  /** What the last map, seq or valueAfter left after its value (see close). */
  private trail: Trail = NO_TRAIL;
  /** Whether the last inline value takes deeper comment lines after it (block scalars do not). */
  private attach = true;
  private keyId = '';
  private keyColon = 0;
  private lastKeyAt = -1;
  private lastKey: ScanScalar | undefined;
  private lastKeyId = '';
  private lastKeyColon = 0;

  constructor(private readonly text: string) {
    this.l = new Lines(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
    scanning(this.l);
  }

  document(): ScanNode | undefined {
    const l = this.l;
    let opened = false;
    for (;;) {
      if (l.trivia()) { l.advance(); continue; }
      if (l.kind() !== LineKind.Marker) break;
      // One `---` may open the document; a comment may follow it on its line.
      if (opened || !this.text.startsWith('---', l.ls)) giveUp('a second document marker or a directive');
      const i = this.spaces(l.ls + 3);
      if (i < l.ce && this.text.charCodeAt(i) !== 35) giveUp('content on the --- line');
      opened = true;
      l.advance();
    }
    if (l.kind() === LineKind.End) return undefined;
    if (l.kind() !== LineKind.Content) giveUp('a document that is not a mapping or a sequence');
    if (this.text.charCodeAt(0) === 0xfeff && (l.indent > 0 || l.isDash)) giveUp('a BOM before an indented or sequence root');
    const root = l.isDash ? this.seq(l.indent) : this.map(l.indent, l.cs);
    if (l.kind() !== LineKind.End) giveUp('content after the root');
    return root;
  }

  private spaces(i: number): number {
    const ce = this.l.ce;
    while (i < ce && this.text.charCodeAt(i) === 32) i++;
    return i;
  }

  /** A block mapping at column `ind` whose first key starts at `first` on the current line (its trail in this.trail). */
  private map(ind: number, first: number): ScanMap {
    const l = this.l;
    if (++this.depth > 100) giveUp('nesting over 100 levels');
    const map = new ScanMap(first, ind);
    const ids: string[] = [];
    let seen: Set<string> | undefined;
    let keyAt = first;
    for (;;) {
      const key = this.key(keyAt);
      if (!key) giveUp('a line that is not a key where a key belongs');
      const id = this.keyId;
      // A repeated key is reported by the parser's pass (yaml-duplicate-key).
      if (seen) {
        if (seen.has(id)) giveUp('a repeated key');
        seen.add(id);
      } else {
        if (ids.includes(id)) giveUp('a repeated key');
        ids.push(id);
        if (ids.length > 8) seen = new Set(ids);
      }
      const node = this.valueAfter(this.keyColon + 1, ind, true);
      map.items.push(new ScanPair(key, node));
      if (l.kind() === LineKind.Content && l.indent === ind && !l.isDash) {
        keyAt = l.cs;
        continue;
      }
      if (l.kind() !== LineKind.End && !(l.kind() === LineKind.Content && l.indent < ind)) giveUp('a misplaced line after a mapping value');
      return this.finish(map, node.end2, ind);
    }
  }

  /** A block sequence at column `ind`; the current line is its first `-` (its trail in this.trail). */
  private seq(ind: number): ScanSeq {
    const l = this.l;
    if (++this.depth > 100) giveUp('nesting over 100 levels');
    const seq = new ScanSeq(l.cs, ind);
    for (;;) {
      const w = this.spaces(l.cs + 1);
      if (w < l.ce && this.text.charCodeAt(w) === 45 && (w + 1 === l.ce || this.text.charCodeAt(w + 1) === 32)) giveUp('a compact nested sequence (- - x)'); // `- - x`
      // `- key: value`: a mapping at the key's column.
      const item = w < l.ce && this.keyAhead(w) ? this.map(w - l.ls, w) : this.valueAfter(l.cs + 1, ind, false);
      seq.items.push(item);
      if (l.kind() === LineKind.Content && l.indent === ind && l.isDash) continue;
      if (l.kind() !== LineKind.End && !(l.kind() === LineKind.Content && l.indent <= ind)) giveUp('a misplaced line after a sequence item');
      return this.finish(seq, item.end2, ind);
    }
  }

  /** Ends a collection at column `ind` after its last value (ending at `lastEnd`), leaving its level. */
  private finish<C extends ScanMap | ScanSeq>(c: C, lastEnd: number, ind: number): C {
    c.end = lastEnd;
    const kept = this.close(ind, this.trail);
    c.end2 = kept ?? c.end;
    if (kept !== undefined) this.trail = NO_TRAIL;
    this.depth--;
    return c;
  }

  /**
   * A collection at column `ind` ends before the current line: does it keep the comment lines left
   * after its last value? Then it ends where that line's content starts (undefined: they move out).
   */
  private close(ind: number, trail: Trail): number | undefined {
    if (!trail.comment || ind === 0 || trail.maxIndent < ind) return undefined;
    return this.l.kind() === LineKind.End ? this.l.endAt : this.l.cs;
  }

  /**
   * The value after an indicator ending at `from` (`key:` of a mapping or `-` of a sequence at
   * column `ind`): on the same line, on the lines below, or empty. Leaves the cursor on the next
   * content line (or the end), with the comment lines in between accounted for.
   */
  private valueAfter(from: number, ind: number, inMap: boolean): ScanNode {
    const l = this.l;
    const text = this.text;
    const w = this.spaces(from);
    if (w < l.ce && text.charCodeAt(w) !== 35) {
      const node = this.inline(w, ind);
      this.trail = this.trailing(ind, this.attach ? (node as ScanScalar | OpaqueNode) : undefined);
      return node;
    }
    // Nothing on the line (maybe a comment): the value is below, or empty.
    const lineComment = w < l.ce;
    l.advance();
    let anyComment = lineComment;
    let reset = false; // a comment indented deeper than the key came after it
    let firstAfter: { end: number; comment: boolean } | undefined;
    while (l.trivia()) {
      const comment = l.kind() === LineKind.Comment;
      if (comment) anyComment = true;
      if (comment && l.indent > ind) {
        reset = true;
        firstAfter = undefined;
      } else if (!firstAfter) {
        firstAfter = { end: l.ce, comment };
      }
      l.advance();
    }
    if (l.kind() === LineKind.Content && (l.indent > ind || (inMap && l.indent === ind && l.isDash))) {
      if (l.isDash) return this.seq(l.indent);
      if (!this.keyAhead(l.cs)) {
        // A scalar or flow collection on the line below its key.
        const node = this.inline(l.cs, ind);
        this.trail = this.trailing(ind, this.attach ? (node as ScanScalar | OpaqueNode) : undefined);
        return node;
      }
      return this.map(l.indent, l.cs);
    }
    if (l.kind() !== LineKind.Content && l.kind() !== LineKind.End) giveUp('a misplaced line after an empty value');
    const next = l.kind() === LineKind.End ? l.endAt : l.cs;
    let end2 = w;
    if (inMap && l.kind() === LineKind.Content && l.indent === ind) {
      // The next key: the parser keeps the trivia up to the second line break after the key line
      // (or after the last deeper comment) with the empty value, the rest goes with the next key.
      if (reset || lineComment || firstAfter?.comment) end2 = firstAfter ? firstAfter.end : next;
    } else if (anyComment) {
      end2 = next;
    }
    this.trail = NO_TRAIL;
    return new ScanScalar(w, w, end2, 'PLAIN', '', text);
  }

  /** Comment and blank lines after a value: deeper comments before any shallower one widen an attachable value. */
  private trailing(ind: number, value: ScanScalar | OpaqueNode | undefined): Trail {
    const l = this.l;
    let attaching = value !== undefined;
    let comment = false;
    let maxIndent = -1;
    while (l.trivia()) {
      if (l.kind() === LineKind.Comment) {
        if (attaching && l.indent > ind) {
          value!.end2 = l.next;
        } else {
          attaching = false;
          comment = true;
          if (l.indent > maxIndent) maxIndent = l.indent;
        }
      }
      l.advance();
    }
    return comment ? { comment, maxIndent } : NO_TRAIL;
  }

  /** Does a key start at `at` (else a value does)? A flow collection, block scalar or comment is no key. */
  private keyAhead(at: number): boolean {
    const c = this.text.charCodeAt(at);
    if (c === 91 || c === 123 || c === 124 || c === 62 || c === 35) return false;
    return this.key(at) !== undefined;
  }

  /**
   * A key at `at` of the current line (`key:` followed by a space or the line end), or undefined
   * when the line is no key; its id (for duplicates) and colon are in this.keyId and this.keyColon.
   * The last answer is kept: keyAhead and map ask about the same key.
   */
  private key(at: number): ScanScalar | undefined {
    if (at === this.lastKeyAt) {
      this.keyId = this.lastKeyId;
      this.keyColon = this.lastKeyColon;
      return this.lastKey;
    }
    const key = this.readKey(at);
    this.lastKeyAt = at;
    this.lastKey = key;
    this.lastKeyId = this.keyId;
    this.lastKeyColon = this.keyColon;
    return key;
  }

  private readKey(at: number): ScanScalar | undefined {
    const l = this.l;
    const text = this.text;
    const c = text.charCodeAt(at);
    let end: number;
    let style: ScalarStyle;
    let value: string;
    let colon: number;
    if (c === 34 || c === 39) {
      const q = c === 34 ? doubleQuoted(text, at, l.ce) : singleQuoted(text, at, l.ce);
      if (!q) return undefined;
      end = q.end;
      colon = this.spaces(end);
      if (text.charCodeAt(colon) !== 58 || !(colon + 1 === l.ce || text.charCodeAt(colon + 1) === 32)) return undefined;
      style = c === 34 ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
      value = q.value;
    } else {
      colon = -1;
      for (let i = at; i < l.ce; i++) {
        const d = text.charCodeAt(i);
        if (d === 58 && (i + 1 === l.ce || text.charCodeAt(i + 1) === 32)) { colon = i; break; }
        if (d === 32 && text.charCodeAt(i + 1) === 35) return undefined; // a comment before any `: `
      }
      if (colon <= at) return undefined;
      end = colon;
      while (text.charCodeAt(end - 1) === 32) end--;
      if (plainEnd(text, at, end) !== end) giveUp('a key that is not a plain scalar'); // not a plain scalar the scanner takes
      style = 'PLAIN';
      value = text.slice(at, end);
    }
    if (colon - at > 1000) giveUp('a key over 1000 characters');
    const id = style === 'PLAIN' ? String(resolvePlain(value)) : value;
    if (id === '<<') giveUp('a merge key'); // a merge key: yamlAccess resolves those on the parser's tree
    this.keyId = id;
    this.keyColon = colon;
    return new ScanScalar(at, end, end, style, value, text);
  }

  /** A value starting at `w` on the current line; `ind` is its collection's column. Moves past it. */
  private inline(w: number, ind: number): ScanNode {
    const l = this.l;
    const text = this.text;
    const c = text.charCodeAt(w);
    this.attach = true;
    if (c === 34 || c === 39) {
      const q = c === 34 ? doubleQuoted(text, w, l.ce) : singleQuoted(text, w, l.ce);
      if (!q) return quotedLines(l, text, w, ind + 1);
      tail(l, text, q.end);
      const node = new ScanScalar(w, q.end, l.next, c === 34 ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', q.value, text);
      l.advance();
      return node;
    }
    if (c === 91 || c === 123) {
      const end = flowEnd(text, w, l.ce);
      if (end < 0) giveUp('a flow collection the scanner does not take');
      tail(l, text, end);
      const node = new OpaqueNode(w, end, l.next, 'a flow collection');
      l.advance();
      return node;
    }
    if (c === 124 || c === 62) {
      this.attach = false;
      return blockScalar(l, text, w, ind + 1);
    }
    const end = plainEnd(text, w, l.ce);
    if (end < 0) giveUp('a plain scalar the scanner does not take');
    const after = this.spaces(end);
    if (after < l.ce && (after === end || text.charCodeAt(after) !== 35)) giveUp('content after a value on its line');
    // The text is cut from the document only if a kind reads the value.
    const single = new ScanScalar(w, end, l.next, 'PLAIN', undefined, text);
    const commented = after < l.ce;
    l.advance();
    // A comment ends the scalar; otherwise it may go on on the lines below.
    return commented ? single : plainLines(l, text, single, ind + 1);
  }
}
