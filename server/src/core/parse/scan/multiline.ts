import { giveUp } from './giveUp';
import { LineKind, type Lines } from './lines';
import { OpaqueNode, type ScanNode, type ScanScalar } from './nodes';
import { continuationEnd, escapeAt } from './scalars';

/**
 * Values over several lines for the fast scanner (scan/scanner.ts): plain and quoted scalars that
 * go on below their first line, and block scalars. The scanner checks them and keeps their extent
 * (an OpaqueNode, except a plain scalar that stays on one line); reading one needs the full parser.
 */

/** After a value that ends at `end` on the current line: only spaces, then the line end or a comment. */
export function tail(l: Lines, text: string, end: number): void {
  let i = end;
  while (i < l.ce && text.charCodeAt(i) === 32) i++;
  if (i < l.ce && (i === end || text.charCodeAt(i) !== 35)) giveUp('content after a value on its line');
}

/** A plain scalar continued on the lines below (more indented than `min` - 1), or the one-line scalar. */
export function plainLines(l: Lines, text: string, first: ScanScalar, min: number): ScanNode {
  const after = l.ls;
  let end = -1;
  let next = after;
  while (l.kind() === LineKind.Blank || (l.kind() === LineKind.Content && l.indent >= min)) {
    if (l.kind() === LineKind.Content) {
      // Any first character continues the scalar; `: ` would start a mapping, ` #` a comment.
      const e = continuationEnd(text, l.cs, l.ce);
      if (e < 0) giveUp('a continuation line the scanner does not take');
      end = e;
      next = l.next;
    }
    l.advance();
  }
  if (l.ls !== next) l.at(next); // blank lines after the scalar are not part of it
  return end < 0 ? first : new OpaqueNode(first.start, end, next, 'a scalar over several lines');
}

/** A quoted scalar over several lines starting at `w`; continuation lines are indented at least `min`. */
export function quotedLines(l: Lines, text: string, w: number, min: number): OpaqueNode {
  const quote = text.charCodeAt(w);
  let i = w + 1;
  for (;;) {
    if (i >= l.ce) {
      l.advance();
      if (l.kind() === LineKind.End || (l.kind() !== LineKind.Blank && l.indent < min)) giveUp('an unindented line in a quoted scalar');
      i = l.cs;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === quote) {
      if (quote === 39 && i + 1 < l.ce && text.charCodeAt(i + 1) === 39) { i += 2; continue; }
      tail(l, text, i + 1);
      const node = new OpaqueNode(w, i + 1, l.next, 'a quoted scalar over several lines');
      l.advance();
      return node;
    }
    if (c === 92 && quote === 34) {
      if (i + 1 >= l.ce) { i = l.ce; continue; } // an escaped line break
      const esc = escapeAt(text, i, l.ce);
      if (!esc) giveUp('an escape the scanner does not take');
      i += esc.length;
      continue;
    }
    i++;
  }
}

/**
 * A block scalar (`|`, `|-`, `>`, `>-`) whose header is at `w`; its content is indented at
 * least `min`. Other headers (keep `+`, an explicit indentation), an empty content and
 * more-indented blank lines are left to the parser.
 */
export function blockScalar(l: Lines, text: string, w: number, min: number): OpaqueNode {
  let h = w + 1;
  if (text.charCodeAt(h) === 45) h++;
  tail(l, text, h);
  l.advance();
  let maxBlank = 0;
  while (l.kind() === LineKind.Blank) {
    maxBlank = Math.max(maxBlank, l.ce - l.ls);
    l.advance();
  }
  if (l.kind() === LineKind.End || l.kind() === LineKind.Marker || l.indent < min) giveUp('an empty block scalar');
  const indent = l.indent;
  if (maxBlank > indent) giveUp('a more-indented leading blank line in a block scalar');
  let next = l.next;
  for (;;) {
    l.advance();
    if (l.kind() === LineKind.Blank) {
      if (l.ce - l.ls > indent) giveUp('a more-indented blank line in a block scalar');
      continue;
    }
    if (l.kind() === LineKind.End || l.kind() === LineKind.Marker || l.indent < indent) break;
    next = l.next;
  }
  l.at(next);
  return new OpaqueNode(w, next, next, 'a block scalar');
}
