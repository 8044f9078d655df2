import type { Condition } from './templateTypes';

/**
 * What an action reads: `.Values` paths resolved through the dot of `with` and `range` blocks and
 * through variables, helpers it includes, and the simple conditions of `if` blocks.
 */

const BUILTIN_OBJECTS = new Set(['Release', 'Chart', 'Capabilities', 'Template', 'Files', 'Subcharts']);

export type Dot = { readonly kind: 'root' } | { readonly kind: 'values'; readonly path: readonly string[] } | undefined;

export interface Frame {
  readonly keyword: string;
  /** Every condition of the enclosing blocks (this one's included). */
  readonly conds: readonly Condition[];
  /** This block's condition when it is exactly one path (its `else` runs when it is false). */
  readonly own?: Condition;
  readonly dot: Dot;
  readonly vars: ReadonlyMap<string, readonly string[]>;
  readonly define?: string;
}

/** The one `.Values` path an expression such as `.Values.a.b`, `.x` (under `with`) or `$v` denotes. */
export function singlePath(expr: string, frame: Frame): readonly string[] | undefined {
  const e = expr.trim().replace(/^\(|\)$/g, '').trim();
  const m = /^(\$[A-Za-z_]\w*|\$)?((?:\.[A-Za-z_]\w*)*|\.)$/.exec(e);
  if (!m) return undefined;
  return resolve(m[1], m[2]!, frame);
}

/**
 * `X`, `not X`, `and X Y …` over plain `.Values` paths: conditions that hold where the block is
 * printed (`exact` when they are the whole condition); anything else tells nothing.
 */
export function conditionsOf(expr: string, frame: Frame): { conds: Condition[]; exact: boolean } {
  const e = expr.trim().replace(/^\((.*)\)$/s, '$1').trim();
  const not = /^not\s+(.+)$/s.exec(e);
  if (not) {
    const p = singlePath(not[1]!, frame);
    return p && !p.includes('*') ? { conds: [{ path: p, truthy: false }], exact: true } : { conds: [], exact: false };
  }
  const and = /^and\s+(.+)$/s.exec(e);
  const parts = and ? and[1]!.trim().split(/\s+/) : [e];
  const conds: Condition[] = [];
  for (const part of parts) {
    const p = singlePath(part, frame);
    if (!p || p.includes('*')) return { conds: and ? conds : [], exact: false };
    conds.push({ path: p, truthy: true });
  }
  return { conds, exact: true };
}

export function single(c: { conds: readonly Condition[]; exact: boolean }): { own?: Condition } {
  return c.exact && c.conds.length === 1 ? { own: c.conds[0]! } : {};
}

function resolve(variable: string | undefined, chain: string, frame: Frame): readonly string[] | undefined {
  const fields = chain === '.' || chain === '' ? [] : chain.slice(1).split('.');
  if (variable === '$' || (!variable && fields[0] === 'Values')) {
    return fields[0] === 'Values' ? fields.slice(1) : undefined;
  }
  if (variable) {
    const base = frame.vars.get(variable);
    return base ? [...base, ...fields] : undefined;
  }
  const dot = frame.dot;
  if (dot?.kind === 'values') return [...dot.path, ...fields];
  return undefined; // root: .Release, .Chart …; unknown dot inside a define
}

export function readRefs(body: string, frame: Frame): { values: string[][]; helpers: string[] } {
  if (!body.includes('.') && !body.includes('$') && !body.includes('"')) return { values: [], helpers: [] };
  const helpers = [...body.matchAll(/\b(?:include|template)\s+"([^"]+)"/g)].map((m) => m[1]!);
  const values: string[][] = [];
  const seen = new Set<string>();
  const add = (p: readonly string[] | undefined) => {
    if (!p || p.length === 0) return;
    const k = p.join('\u0000');
    if (!seen.has(k)) {
      seen.add(k);
      values.push([...p]);
    }
  };
  // `index .Values.a "b" "c"` reads a.b.c (and not a on its own)
  let rest = body;
  for (const m of body.matchAll(/\bindex\s+(\$[A-Za-z_]\w*|\$)?((?:\.[A-Za-z_]\w*)+|\.)((?:\s+"[^"]*")+)/g)) {
    const base = resolve(m[1], m[2]!, frame);
    if (base) add([...base, ...[...m[3]!.matchAll(/"([^"]*)"/g)].map((x) => x[1]!)]);
    rest = rest.slice(0, m.index) + ' '.repeat(m[0].length) + rest.slice(m.index + m[0].length);
  }
  const code = rest.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, (s) => ' '.repeat(s.length));
  for (const m of code.matchAll(/(?<![\w.])(\$[A-Za-z_]\w*|\$)((?:\.[A-Za-z_]\w*)*)/g)) add(resolve(m[1], m[2]!, frame));
  for (const m of code.matchAll(/(?<![\w)\].$])((?:\.[A-Za-z_]\w*)+|\.(?![\w.]))/g)) {
    const chain = m[1]!;
    if (frame.dot?.kind !== 'values' && BUILTIN_OBJECTS.has(chain.slice(1).split('.')[0]!)) continue;
    add(resolve(undefined, chain, frame));
  }
  return { values, helpers };
}
