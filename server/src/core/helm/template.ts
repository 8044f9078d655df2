import type { Span } from '../types';
import { lexActions, markBlockScalars, splitLines } from './templateLines';
import { conditionsOf, readRefs, single, singlePath, type Frame } from './templateRefs';
import type { Action, ActionKind, Condition, Define, ParsedTemplate, TemplateLine } from './templateTypes';
import { lastStartingAtOrBefore } from '../lineIndex';

export type { Action, ActionKind, Condition, Define, LineKind, ParsedTemplate, TemplateLine } from './templateTypes';

/**
 * A Helm template read line by line, without evaluating it: where its `{{ }}` actions are, which
 * lines are literal YAML (a key, a list item, a value), which emit text (an `include`, a
 * `toYaml`), which only steer (`if`, `range`, `end`), and which `.Values` paths and helpers each
 * action reads. The source mapping follows rendered YAML paths through these lines.
 */

const MAX_TRACKED_DEPTH = 64;
const CONTROL = new Set(['if', 'else', 'range', 'with', 'end', 'define', 'block', 'break', 'continue']);

/** Reads one template file. */
export function parseTemplate(uri: string, text: string): ParsedTemplate {
  const raw = lexActions(text);
  const actions: Action[] = [];
  const defines: Define[] = [];
  const stack: Frame[] = [{ keyword: 'root', conds: [], dot: { kind: 'root' }, vars: new Map() }];
  const condsAt: (readonly Condition[])[] = []; // per action: the conditions before it
  const openDefines: { name: string; start: number; span: Span }[] = [];
  const defineEnds: { name: string; start: number; end: number; span: Span }[] = [];
  const insideDefine: boolean[] = []; // per action: before it, inside a define
  let defineDepth = 0;
  // Beyond this nesting (hostile input), blocks share their parent's conditions and variables:
  // copying them per level would be quadratic.
  const conds = (top: Frame, own: readonly Condition[]): readonly Condition[] => (stack.length > MAX_TRACKED_DEPTH || own.length === 0 ? top.conds : [...top.conds, ...own]);
  const varsOf = (top: Frame): Map<string, readonly string[]> => (stack.length > MAX_TRACKED_DEPTH ? (top.vars as Map<string, readonly string[]>) : new Map(top.vars));

  for (const a of raw) {
    const top = stack[stack.length - 1]!;
    insideDefine.push(defineDepth > 0);
    condsAt.push(top.conds);
    if (a.comment) {
      actions.push({ ...a, kind: 'comment', values: [], helpers: [] });
      continue;
    }
    const word = /^([a-z]+)\b/.exec(a.body)?.[1];
    const keyword = word && CONTROL.has(word) ? word : undefined;
    const refs = readRefs(a.body, top);
    const kind: ActionKind = keyword ? 'control' : /^\$[A-Za-z_]\w*\s*:?=/.test(a.body) ? 'assign' : 'output';
    actions.push({ start: a.start, end: a.end, body: a.body, trimLeft: a.trimLeft, kind, keyword: keyword ?? (word === 'template' ? 'template' : undefined), values: refs.values, helpers: refs.helpers });
    if (kind === 'assign') {
      const m = /^(\$[A-Za-z_]\w*)\s*:?=\s*([\s\S]*)$/.exec(a.body);
      const path = m ? singlePath(m[2]!, top) : undefined;
      if (m && path) (top.vars as Map<string, readonly string[]>).set(m[1]!, path);
      continue;
    }
    switch (keyword) {
      case 'if': {
        const own = conditionsOf(a.body.slice(2), top);
        stack.push({ keyword, conds: conds(top, own.conds), ...single(own), dot: top.dot, vars: varsOf(top) });
        break;
      }
      case 'with': {
        const path = singlePath(a.body.slice(4), top);
        const own = path && !path.includes('*') ? [{ path, truthy: true }] : [];
        stack.push({ keyword, conds: conds(top, own), ...single({ conds: own, exact: true }), dot: path ? { kind: 'values', path } : undefined, vars: varsOf(top) });
        break;
      }
      case 'range': {
        const m = /^range\s+(?:(\$[A-Za-z_]\w*)\s*(?:,\s*(\$[A-Za-z_]\w*))?\s*:?=\s*)?([\s\S]*)$/.exec(a.body);
        const path = m ? singlePath(m[3]!, top) : undefined;
        const item = path ? [...path, '*'] : undefined;
        const vars = varsOf(top);
        if (m && item) {
          vars.set(m[2] ?? m[1] ?? '', item);
          if (m[2] && m[1]) vars.set(m[1], item); // the key (or index): the same entry
        }
        const own = path && !path.includes('*') ? [{ path, truthy: true }] : [];
        stack.push({ keyword, conds: conds(top, own), ...single({ conds: own, exact: true }), dot: item ? { kind: 'values', path: item } : undefined, vars });
        break;
      }
      case 'define':
      case 'block': {
        const name = /^(?:define|block)\s+"([^"]*)"/.exec(a.body)?.[1] ?? '';
        stack.push({ keyword, conds: [], dot: undefined, vars: new Map(), define: name });
        defineDepth++;
        openDefines.push({ name, start: a.end, span: { start: a.start, end: a.end } });
        break;
      }
      case 'else': {
        // `else` of a `with`/`range` runs with the outer dot.
        if (stack.length > 1) {
          const outer = stack[stack.length - 2]!;
          const cur = stack.pop()!;
          const elseWith = /^else\s+with\s+([\s\S]*)$/.exec(a.body);
          const elseIf = /^else\s+if\s+([\s\S]*)$/.exec(a.body);
          const path = elseWith ? singlePath(elseWith[1]!, outer) : undefined;
          // The branches before were false: a single condition flips; several (`and`) tell nothing.
          const flipped = cur.own ? [{ path: cur.own.path, truthy: !cur.own.truthy }] : [];
          const more = elseIf ? conditionsOf(elseIf[1]!, outer) : { conds: path && !path.includes('*') ? [{ path, truthy: true }] : [], exact: true };
          // After `else if B`, a later `else` knows only that B was false (when B is one path).
          stack.push({ keyword: cur.keyword, conds: conds(outer, [...flipped, ...more.conds]), vars: cur.vars, ...single(more), dot: elseWith ? (path ? { kind: 'values', path } : undefined) : outer.dot });
        }
        break;
      }
      case 'end': {
        if (stack.length > 1) {
          const f = stack.pop()!;
          if (f.define !== undefined) {
            defineDepth--;
            const d = openDefines.pop();
            if (d) defineEnds.push({ name: d.name, start: d.start, end: a.start, span: d.span });
          }
        }
        break;
      }
      default:
        break;
    }
  }

  const lines = splitLines(text, raw, actions, { insideDefine, condsAt, finalInside: defineDepth > 0, finalConds: stack[stack.length - 1]!.conds });
  for (const d of defineEnds) {
    const from = lineOf(lines, d.start);
    defines.push({ name: d.name, uri, line: lineOf(lines, d.span.start), span: d.span, from, to: lineOf(lines, d.end) + 1 });
  }
  markBlockScalars(lines);
  return { uri, text, lines, actions, defines };
}

function lineOf(lines: readonly TemplateLine[], offset: number): number {
  return lastStartingAtOrBefore(lines, offset);
}
