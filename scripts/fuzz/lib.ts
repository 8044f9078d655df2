/**
 * The fuzzing engine shared by `npm run fuzz` (scripts/fuzz/run.ts) and the seeded slice in
 * test/robustness: a seeded PRNG, the corpus as files and `---` documents, mutation operators,
 * and the invariants every analysis must keep.
 *
 * Everything runs in-process against the core API (Analyzer + features), never through the
 * LSP server: a case is cheap (a millisecond or so), so tens of thousands fit in minutes.
 *
 * Reproducibility: case `i` of a run with seed `s` draws from its own PRNG, seeded with
 * `caseSeed(s, i)`, and runs against a project analyzer restored to the corpus text after every
 * case, so `npm run fuzz -- --seed s --only i` replays exactly that case.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Analyzer } from '../../server/src/core/analyzer';
import { splitDocuments } from '../../server/src/core/parse/documents';
import { RULES_BY_CODE } from '../../server/src/core/rules/catalogue';
import { hover } from '../../server/src/core/features/hover';
import { definition, documentHighlights, references } from '../../server/src/core/features/navigation';
import { codeLenses } from '../../server/src/core/features/codeLens';
import { quickFixes } from '../../server/src/core/features/codeActions';
import { buildGraph } from '../../server/src/core/features/graph';
import { SEVERITIES, type Finding, type Position, type Range } from '../../server/src/core/types';

export const ROOT = path.resolve(__dirname, '../..');
export const CORPUS = path.resolve(ROOT, '../shared/corpus');

/** A call slower than this is a failure (the issue's "bounded time"). */
export const SLOW_MS = 2000;

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The seed of case `index` of a run: independent of every other case, and of other seeds' cases. */
export function caseSeed(seed: number, index: number): number {
  return fmix32((fmix32(seed ^ 0x5bd1e995) + Math.imul(index + 1, 0x9e3779b9)) >>> 0);
}

export class Rng {
  readonly next: () => number;
  constructor(seed: number) { this.next = mulberry32(seed); }
  int(n: number): number { return Math.floor(this.next() * n); }
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
  chance(p: number): boolean { return this.next() < p; }
}

// ---------------------------------------------------------------------------------------------
// Corpus

export interface CorpusFile {
  readonly path: string;
  /** Path relative to the corpus root, `/`-separated. */
  readonly rel: string;
  readonly uri: string;
  /** Top-level folder of the corpus (one upstream project). */
  readonly project: string;
  readonly text: string;
}

/** A unit a mutation applies to: a whole file, or one `---` document of a file. */
export interface Unit {
  readonly file: number;
  readonly start: number;
  readonly end: number;
  readonly whole: boolean;
}

export interface Corpus {
  readonly root: string;
  readonly files: readonly CorpusFile[];
  readonly units: readonly Unit[];
}

/**
 * Every *.yaml / *.yml under `root`, sorted by path. `projects` limits it to some top-level
 * folders. Files that are not UTF-8 are left out (the node layer refuses them before the core).
 */
export function loadCorpus(root = CORPUS, projects?: readonly string[], wholeFileMax = 64 * 1024): Corpus {
  const files: CorpusFile[] = [];
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.ya?ml$/i.test(e.name)) {
        const rel = path.relative(root, p).split(path.sep).join('/');
        const project = rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : '.';
        if (projects && !projects.includes(project)) continue;
        const buf = fs.readFileSync(p);
        let text: string;
        try { text = new TextDecoder('utf-8', { fatal: true }).decode(buf); } catch { continue; }
        files.push({ path: p, rel, uri: pathToFileURL(p).href, project, text });
      }
    }
  };
  walk(root);
  const units: Unit[] = [];
  files.forEach((f, i) => {
    if (f.text.length <= wholeFileMax) units.push({ file: i, start: 0, end: f.text.length, whole: true });
    const docs = splitDocuments(f.text);
    if (docs.length > 1 || f.text.length > wholeFileMax) {
      for (const d of docs) if (d.end > d.start) units.push({ file: i, start: d.start, end: d.end, whole: false });
    }
  });
  return { root, files, units };
}

// ---------------------------------------------------------------------------------------------
// Mutations

export interface AppliedMutation {
  readonly op: string;
  readonly detail: string;
}

const SPECIAL_CHARS = [':', '-', '[', ']', '{', '}', ',', '"', "'", '#', '&', '*', '!', '|', '>', '%', '@', '`', '?', '\t', '\r', '\n', ' ',
  '\0', '\uFEFF', '\uD800', '\uDC00', '\u2028', '\u0085', '\\', '~', '=', '/'];

const JUNK = [
  '<<: *missing', '<<: [*a, *b]', 'x: &a {k: v}', 'y: *a', '&anchor', '*alias', '!!binary |', '!!map', '!custom tag',
  '? complex key', ': orphan value', '%YAML 1.1', '%TAG ! tag:x,2000:', '---', '...', '--- !!str', '{{ .Values.port }}',
  '{{- include "x" . }}', '${{ github.sha }}', '// comment', '\t', 'key: "unclosed', "key: 'unclosed", '[', '{', ']', '}',
  '|', '>-', '- ', '-', ':', '\uFEFF', '\0', '\r', '\uD800', 'a: b: c', 'kind: Service', 'apiVersion: v1', 'metadata:',
  'selector: {app: x}', 'ports: [{port: 80, targetPort: http}]', 'ports:\n- port: 80', 'spec: null', '- name: http\n  port: http',
  '"\\x00\\uD800"', 'port: 99999999999999999999999', 'port: -1', 'port: .nan', 'port: 0x50', 'port: 1e3', 'nodePort: 30080',
  'labels: {app: }', 'namespace: [x]', 'name: {a: b}', 'clusterIP: None', 'type: NodePort', 'serviceName: ""',
  'containers: null', 'backend: {service: {name: x, port: {number: [1]}}}', 'parentRefs: [{name: gw, namespace: {}}]',
];

const SCALAR_VALUES = ['null', '~', '', '""', "''", '0', '-1', '65536', '99999999999999999999999999', '1.5', '.inf', '-.nan', '0x1F90',
  '0o17', 'true', 'yes', 'no', 'on', 'http', '"80"', "'8080'", 'http-web', '"8080:80"', '[]', '{}', '[a, 1, {b: c}]', '{a: [1, 2]}',
  '[{name: x, port: 80}]', '*a', '&a x', '!!str 80', '!!int "x"', '|', '>', '"unterminated', '2001-12-14', '=', '<<', '{{ .x }}'];

const BLOCK_VALUES = ['[]', '{}', '[a, b]', '[{name: http, port: 80, targetPort: http}]', '{app: web}', '{a: {b: {c: [1, 2]}}}', 'null',
  '~', '"a string"', '42', 'http', '*a', '[[[[[]]]]]', '{x: [y, {z: null}]}', '!!set {a, b}', ''];

const PORT_KEYS = /^(\s*(?:-\s+)?)(port|targetPort|containerPort|nodePort|number|replicas|hostPort|servicePort|appProtocol|protocol|weight)(\s*:\s*)([^]*)$/;
const KINDS = ['Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod',
  'Ingress', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute', 'Gateway', 'ReferenceGrant', 'Endpoints', 'EndpointSlice',
  'List', 'ServiceList', 'Kustomization', 'TrafficSplit', 'ConfigMap', 'Secret', 'CustomResourceDefinition', 'Namespace', ''];

function lines(text: string): string[] {
  return text.split('\n');
}

function indentOf(line: string): number {
  return /^[ \t]*/.exec(line)![0].length;
}

/** The lines [i+1, end) that belong to the block under line i (deeper indented, or `- ` items at the same indent). */
function childBlockEnd(ls: readonly string[], i: number): number {
  const ind = indentOf(ls[i]!);
  let j = i + 1;
  while (j < ls.length) {
    const l = ls[j]!;
    if (l.trim() === '' || l.trimStart().startsWith('#')) { j++; continue; }
    const li = indentOf(l);
    if (li > ind || (li === ind && /^\s*- /.test(l) && !/^\s*- /.test(ls[i]!))) j++;
    else break;
  }
  return j;
}

type Operator = (text: string, rng: Rng, donor: () => string) => { text: string; detail: string };

export const OPERATORS: Record<string, Operator> = {
  'bit-flip': (t, rng) => {
    if (!t.length) return { text: t, detail: 'empty' };
    const i = rng.int(t.length);
    const bit = rng.int(8);
    const c = t.charCodeAt(i) ^ (1 << bit);
    return { text: t.slice(0, i) + String.fromCharCode(c) + t.slice(i + 1), detail: `@${i} bit ${bit}` };
  },
  'char-replace': (t, rng) => {
    const i = rng.int(t.length + 1);
    const c = rng.pick(SPECIAL_CHARS);
    const insert = rng.chance(0.5);
    return { text: t.slice(0, i) + c + t.slice(insert ? i : i + 1), detail: `${insert ? 'insert' : 'replace'} @${i} ${JSON.stringify(c)}` };
  },
  'delete-lines': (t, rng) => {
    const ls = lines(t);
    const i = rng.int(ls.length);
    const n = rng.range(1, 3);
    ls.splice(i, n);
    return { text: ls.join('\n'), detail: `lines ${i}+${n}` };
  },
  'duplicate-lines': (t, rng) => {
    const ls = lines(t);
    const i = rng.int(ls.length);
    const n = rng.range(1, 5);
    ls.splice(i, 0, ...ls.slice(i, i + n));
    return { text: ls.join('\n'), detail: `lines ${i}+${n}` };
  },
  'swap-lines': (t, rng) => {
    const ls = lines(t);
    const i = rng.int(ls.length);
    const j = rng.int(ls.length);
    [ls[i], ls[j]] = [ls[j]!, ls[i]!];
    return { text: ls.join('\n'), detail: `lines ${i}<->${j}` };
  },
  'indent-shift': (t, rng) => {
    const ls = lines(t);
    const i = rng.int(ls.length);
    const n = rng.range(1, 10);
    const by = rng.pick([-4, -2, -1, 1, 2, 4]);
    const tab = rng.chance(0.15);
    for (let k = i; k < Math.min(ls.length, i + n); k++) {
      const l = ls[k]!;
      if (tab) ls[k] = '\t' + l;
      else if (by > 0) ls[k] = ' '.repeat(by) + l;
      else ls[k] = l.slice(Math.min(-by, indentOf(l)));
    }
    return { text: ls.join('\n'), detail: `lines ${i}+${n} by ${tab ? 'tab' : by}` };
  },
  'port-type-swap': (t, rng) => {
    const ls = lines(t);
    const candidates = ls.map((l, i) => (PORT_KEYS.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!candidates.length) return OPERATORS['scalar-swap']!(t, rng, () => '');
    const i = rng.pick(candidates);
    const m = PORT_KEYS.exec(ls[i]!)!;
    const v = rng.pick(SCALAR_VALUES);
    ls[i] = `${m[1]}${m[2]}${m[3]}${v}`;
    return { text: ls.join('\n'), detail: `line ${i} ${m[2]}: ${JSON.stringify(v)}` };
  },
  'scalar-swap': (t, rng) => {
    const ls = lines(t);
    const candidates = ls.map((l, i) => (/^\s*(-\s+)?[^\s#:][^:#]*:\s+\S/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!candidates.length) return { text: t, detail: 'no scalar' };
    const i = rng.pick(candidates);
    const m = /^(\s*(?:-\s+)?[^\s#:][^:#]*:\s+)([^]*)$/.exec(ls[i]!)!;
    const v = rng.pick(SCALAR_VALUES);
    ls[i] = m[1] + v;
    return { text: ls.join('\n'), detail: `line ${i} -> ${JSON.stringify(v)}` };
  },
  'block-swap': (t, rng) => {
    // A list where a map goes, a map where a list goes, a scalar or null where either goes.
    const ls = lines(t);
    const candidates = ls.map((l, i) => (/^\s*(-\s+)?[^\s#:][^:#]*:\s*$/.test(l) && childBlockEnd(ls, i) > i + 1 ? i : -1)).filter((i) => i >= 0);
    if (!candidates.length) return OPERATORS['scalar-swap']!(t, rng, () => '');
    const i = rng.pick(candidates);
    const end = childBlockEnd(ls, i);
    const v = rng.pick(BLOCK_VALUES);
    const variant = rng.int(3);
    let repl: string[];
    if (variant === 0) repl = [];
    else if (variant === 1) repl = ls.slice(i + 1, end).map((l) => (l.trim() ? l.replace(/^(\s*)(- )?/, (_m, s: string) => `${s}- `) : l)); // map → list
    else repl = ls.slice(i + 1, end).map((l) => l.replace(/^(\s*)- /, '$1  ')); // list → map
    ls.splice(i, end - i, variant === 0 ? `${ls[i]!.replace(/\s*$/, '')} ${v}` : ls[i]!, ...repl);
    return { text: ls.join('\n'), detail: `line ${i} block of ${end - i - 1} ${variant === 0 ? `-> ${JSON.stringify(v)}` : variant === 1 ? 'map->list' : 'list->map'}` };
  },
  'null-everywhere': (t, rng) => {
    const p = rng.pick([1, 0.5, 0.1]);
    const v = rng.pick(['null', '~', '', '!!null']);
    const out = lines(t).map((l) => (rng.chance(p) ? l.replace(/^(\s*(?:-\s+)?[^\s#:][^:#]*:)(\s+\S[^]*)?$/, `$1 ${v}`) : l));
    return { text: out.join('\n'), detail: `p=${p} ${JSON.stringify(v)}` };
  },
  'kind-swap': (t, rng) => {
    const ls = lines(t);
    const candidates = ls.map((l, i) => (/^\s*kind\s*:/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!candidates.length) return OPERATORS['insert-junk']!(t, rng, () => '');
    const i = rng.pick(candidates);
    const k = rng.pick(KINDS);
    ls[i] = ls[i]!.replace(/^(\s*kind\s*:)[^]*$/, `$1 ${k}`);
    return { text: ls.join('\n'), detail: `line ${i} -> ${k}` };
  },
  'alias-inject': (t, rng) => {
    // Anchors on a block, aliases and merge keys elsewhere (including before the anchor, and to itself).
    const ls = lines(t);
    const blocks = ls.map((l, i) => (/^\s*(-\s+)?[^\s#:][^:#]*:\s*$/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!blocks.length) return OPERATORS['insert-junk']!(t, rng, () => '');
    const a = rng.pick(blocks);
    ls[a] = `${ls[a]!.replace(/\s*$/, '')} &fz`;
    const b = rng.int(ls.length);
    const ind = ' '.repeat(indentOf(ls[b]!));
    const form = rng.pick(['<<: *fz', '<<: [*fz, *fz]', 'fz: *fz', '- *fz', 'fz2: &fz2 [*fz, *fz2]', '<<: *nope']);
    ls.splice(b, 0, ind + form);
    return { text: ls.join('\n'), detail: `anchor line ${a}, ${JSON.stringify(form)} at ${b}` };
  },
  'value-shuffle': (t, rng) => {
    // Two scalar values of the text trade places: a port number becomes a name, a Service name a label value, ...
    const ls = lines(t);
    const re = /^(\s*(?:-\s+)?[^\s#:][^:#]*:\s+)([^\s#][^]*)$/;
    const candidates = ls.map((l, i) => (re.test(l) ? i : -1)).filter((i) => i >= 0);
    if (candidates.length < 2) return OPERATORS['scalar-swap']!(t, rng, () => '');
    const i = rng.pick(candidates);
    const j = rng.pick(candidates);
    const mi = re.exec(ls[i]!)!;
    const mj = re.exec(ls[j]!)!;
    ls[i] = mi[1] + mj[2];
    ls[j] = mj[1] + mi[2];
    return { text: ls.join('\n'), detail: `lines ${i}<->${j} values` };
  },
  'insert-junk': (t, rng) => {
    const ls = lines(t);
    const i = rng.int(ls.length + 1);
    const j = rng.pick(JUNK);
    const ind = i < ls.length && rng.chance(0.5) ? ' '.repeat(indentOf(ls[i]!)) : '';
    ls.splice(i, 0, ind + j);
    return { text: ls.join('\n'), detail: `line ${i} ${JSON.stringify(j)}` };
  },
  'truncate': (t, rng) => {
    const i = rng.int(t.length + 1);
    return { text: t.slice(0, i), detail: `@${i}` };
  },
  'splice': (t, rng, donor) => {
    const d = lines(donor());
    const s = rng.int(d.length);
    const n = rng.range(1, 12);
    const ls = lines(t);
    const i = rng.int(ls.length + 1);
    ls.splice(i, 0, ...d.slice(s, s + n));
    return { text: ls.join('\n'), detail: `${n} donor lines from ${s} at ${i}` };
  },
  'line-endings': (t, rng) => {
    const v = rng.pick(['\r\n', '\r', 'mixed']);
    if (v === 'mixed') return { text: t.replace(/\n/g, () => rng.pick(['\n', '\r\n', '\r'])), detail: 'mixed' };
    return { text: t.replace(/\n/g, v), detail: JSON.stringify(v) };
  },
};

export const OPERATOR_NAMES = Object.keys(OPERATORS);

/** Applies 1–3 seeded operators to `text`. */
export function mutate(text: string, rng: Rng, donor: () => string): { text: string; applied: AppliedMutation[] } {
  const n = rng.chance(0.6) ? 1 : rng.range(2, 3);
  const applied: AppliedMutation[] = [];
  let t = text;
  for (let k = 0; k < n; k++) {
    const op = rng.pick(OPERATOR_NAMES);
    const r = OPERATORS[op]!(t, rng, donor);
    t = r.text;
    applied.push({ op, detail: r.detail });
  }
  return { text: t, applied };
}

// ---------------------------------------------------------------------------------------------
// Invariants

/** Line lengths of a text with LSP line breaks (\n, \r\n, \r). */
export function lineLengths(text: string): number[] {
  const out: number[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      out.push(i - start);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  out.push(text.length - start);
  return out;
}

/** Line tables of the texts one case looks at, computed once each. */
export class TextTable {
  private readonly cache = new Map<string, number[]>();
  constructor(private readonly textOf: (uri: string) => string | undefined) {}
  lengths(uri: string): number[] | undefined {
    const hit = this.cache.get(uri);
    if (hit) return hit;
    const t = this.textOf(uri);
    if (t === undefined) return undefined;
    const l = lineLengths(t);
    this.cache.set(uri, l);
    return l;
  }
}

export function rangeProblem(r: Range | undefined, lens: readonly number[] | undefined): string | undefined {
  if (!lens) return 'unknown file';
  if (!r || !r.start || !r.end) return 'no range';
  const ints = [r.start.line, r.start.character, r.end.line, r.end.character];
  if (!ints.every((x) => Number.isInteger(x))) return `non-integer position ${JSON.stringify(r)}`;
  for (const [what, p] of [['start', r.start], ['end', r.end]] as const) {
    if (p.line < 0 || p.line >= lens.length) return `${what}.line ${p.line} outside 0..${lens.length - 1}`;
    if (p.character < 0 || p.character > lens[p.line]!) return `${what}.character ${p.character} outside 0..${lens[p.line]} (line ${p.line})`;
  }
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) return `start after end ${JSON.stringify(r)}`;
  return undefined;
}

export interface Violation {
  readonly kind: 'exception' | 'malformed' | 'swallowed-exception' | 'slow';
  readonly where: string;
  readonly message: string;
  readonly stack?: string;
}

const SEVERITY_SET = new Set<string>(SEVERITIES);

/**
 * Checks the findings of one file. `expectDeepNesting`: a "nested too deeply" file-skipped finding
 * is expected (hostile inputs) rather than a violation.
 */
export function checkFindings(uri: string, findings: readonly Finding[], table: TextTable, expectDeepNesting = false): Violation[] {
  const out: Violation[] = [];
  const bad = (message: string) => out.push({ kind: 'malformed', where: `findings(${short(uri)})`, message });
  if (!Array.isArray(findings)) { bad('findings is not an array'); return out; }
  for (const f of findings) {
    const tag = `${f?.code}@${f?.range?.start?.line}:${f?.range?.start?.character}`;
    if (!f || typeof f !== 'object') { bad('finding is not an object'); continue; }
    if (!RULES_BY_CODE.has(f.code)) bad(`unknown code ${JSON.stringify(f.code)}`);
    if (!SEVERITY_SET.has(f.severity)) bad(`${tag}: unknown severity ${JSON.stringify(f.severity)}`);
    if (typeof f.message !== 'string' || !f.message.trim()) bad(`${tag}: empty message`);
    if (f.uri !== uri) bad(`${tag}: uri ${f.uri} is not the file's`);
    const rp = rangeProblem(f.range, table.lengths(uri));
    if (rp) bad(`${tag}: range ${rp}`);
    if (!Array.isArray(f.related)) bad(`${tag}: related is not an array`);
    else for (const r of f.related) {
      const p = rangeProblem(r?.range, table.lengths(r?.uri));
      if (p) bad(`${tag}: related ${short(r?.uri)}: ${p}`);
      if (typeof r?.message !== 'string') bad(`${tag}: related message is not a string`);
    }
    if (f.data !== undefined) {
      if (f.data.type === 'replace') {
        const p = rangeProblem(f.data.span, table.lengths(uri));
        if (p) bad(`${tag}: quick-fix span ${p}`);
        if (typeof f.data.newText !== 'string' || typeof f.data.title !== 'string') bad(`${tag}: quick-fix data without text or title`);
      } else if (f.data.type !== 'slash-comment') bad(`${tag}: unknown data ${JSON.stringify(f.data)}`);
    }
    if (f.code === 'file-skipped' && /could not be read \(/.test(f.message)) {
      out.push({ kind: 'swallowed-exception', where: `findings(${short(uri)})`, message: `${tag}: ${f.message}` });
    }
    if (f.code === 'file-skipped' && /nested too deeply/.test(f.message) && !expectDeepNesting) {
      out.push({ kind: 'swallowed-exception', where: `findings(${short(uri)})`, message: `${tag}: ${f.message}` });
    }
  }
  return out;
}

export function short(uri: string | undefined): string {
  if (!uri) return String(uri);
  const i = uri.indexOf('/corpus/');
  return i >= 0 ? uri.slice(i + 8) : uri.replace(/^file:\/\/\/?/, '');
}

// ---------------------------------------------------------------------------------------------
// One analysis

export interface Timing {
  /** Slowest single call of the case and which. */
  maxMs: number;
  maxCall: string;
  totalMs: number;
}

export interface CaseResult {
  readonly violations: Violation[];
  readonly timing: Timing;
  readonly findings: number;
}

export interface AnalyseOptions {
  /** Feature queries (hover, definition, references, highlights) at this many positions. */
  readonly positions: number;
  /** Also check the findings of every file the change made dirty (cross-file effects). */
  readonly dirty: boolean;
  /** Build the traffic graph too (costly on big projects). */
  readonly graph?: boolean;
  readonly expectDeepNesting?: boolean;
  /** The CPU time one call may take (default SLOW_MS); large inputs get a bound linear in their size. */
  readonly slowMs?: number;
  /** Never take more than this many dirty files (their order is the analyzer's, deterministic). */
  readonly maxDirty?: number;
}

const INTERESTING = /\b(selector|matchLabels|labels|app|port|targetPort|containerPort|nodePort|name|serviceName|backend|service|backendRefs|parentRefs|kind|namespace|ports|rules|paths|clusterIP|type)\s*:/g;

/** Positions to query: some at interesting keys and values, some anywhere, one past the end. */
export function pickPositions(text: string, n: number, rng: Rng): Position[] {
  const lens = lineLengths(text);
  const out: Position[] = [];
  const keyHits: number[] = [];
  INTERESTING.lastIndex = 0;
  for (let m = INTERESTING.exec(text); m && keyHits.length < 400; m = INTERESTING.exec(text)) keyHits.push(m.index);
  const toPos = (off: number): Position => {
    // Offset → LSP position with the same line breaks as lineLengths.
    let line = 0;
    let start = 0;
    for (let i = 0; i < off && i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        line++;
        start = i + 1;
      }
    }
    return { line, character: Math.max(0, Math.min(off - start, lens[line] ?? 0)) };
  };
  for (let k = 0; k < n; k++) {
    if (k === n - 1 && n > 2 && rng.chance(0.3)) { out.push({ line: lens.length + rng.int(3), character: rng.int(200) }); continue; }
    if (keyHits.length && rng.chance(0.7)) {
      const base = rng.pick(keyHits);
      // On the key, or a few characters into its value.
      out.push(toPos(base + rng.int(24)));
    } else {
      const line = rng.int(lens.length);
      out.push({ line, character: rng.int((lens[line] ?? 0) + 1) });
    }
  }
  return out;
}

/**
 * The call's CPU time (this process, user + system): what a hang or a blow-up costs, and what the
 * other processes of a busy machine do not inflate (wall-clock time under load did, by 5×).
 */
function timed<T>(t: Timing, call: string, fn: () => T): T {
  const s = process.cpuUsage();
  try {
    return fn();
  } finally {
    const u = process.cpuUsage(s);
    const ms = (u.user + u.system) / 1000;
    t.totalMs += ms;
    if (ms > t.maxMs) { t.maxMs = ms; t.maxCall = call; }
  }
}

/**
 * Sets `uri` to `text` in `a`, then checks its findings (and the dirty files'), and runs every
 * editor feature at some positions. Exceptions are caught and returned as violations.
 */
export function analyseText(a: Analyzer, uri: string, version: number, text: string, rng: Rng, opts: AnalyseOptions): CaseResult {
  const violations: Violation[] = [];
  const timing: Timing = { maxMs: 0, maxCall: '', totalMs: 0 };
  const table = new TextTable((u) => (u === uri ? text : a.index.file(u)?.parsed.text));
  let findingCount = 0;
  const guard = (where: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      violations.push({ kind: 'exception', where, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), ...(e instanceof Error && e.stack ? { stack: e.stack } : {}) });
    }
  };
  let own: Finding[] = [];
  guard('updateFile', () => { timed(timing, 'updateFile', () => a.updateFile(uri, version, text)); });
  guard('findings', () => {
    own = timed(timing, 'findings', () => a.findings(uri));
    findingCount += own.length;
    violations.push(...checkFindings(uri, own, table, opts.expectDeepNesting));
  });
  const dirtyChecked: { uri: string; findings: Finding[] }[] = [];
  if (opts.dirty) {
    guard('takeDirty', () => {
      const dirty = [...timed(timing, 'takeDirty', () => a.takeDirty())].filter((u) => u !== uri).slice(0, opts.maxDirty ?? Infinity);
      for (const d of dirty) {
        guard(`findings(dirty ${short(d)})`, () => {
          const fs2 = timed(timing, `findings(dirty ${short(d)})`, () => a.findings(d));
          findingCount += fs2.length;
          violations.push(...checkFindings(d, fs2, table));
          dirtyChecked.push({ uri: d, findings: fs2 });
        });
      }
    });
  } else guard('takeDirty', () => { a.takeDirty(); });
  const lensOf = (u: string) => table.lengths(u);
  const checkLoc = (where: string, l: { uri: string; range: Range }) => {
    const p = rangeProblem(l?.range, lensOf(l?.uri));
    if (p) violations.push({ kind: 'malformed', where, message: `${short(l?.uri)}: ${p}` });
  };
  /** Every editor feature on one file: hover, definition, references, highlights at `n` positions; lenses; quick fixes for its findings. */
  const probe = (fu: string, ftext: string, n: number, fown: readonly Finding[]) => {
    for (const pos of pickPositions(ftext, n, rng)) {
      const at = `${fu === uri ? '' : `${short(fu)} `}${pos.line}:${pos.character}`;
      guard(`hover ${at}`, () => {
        const h = timed(timing, `hover ${at}`, () => hover(a, fu, pos));
        if (h) {
          if (typeof h.contents !== 'string' || !h.contents) violations.push({ kind: 'malformed', where: `hover ${at}`, message: 'empty contents' });
          checkLoc(`hover ${at}`, { uri: fu, range: h.range });
        }
      });
      guard(`definition ${at}`, () => { for (const l of timed(timing, `definition ${at}`, () => definition(a, fu, pos))) checkLoc(`definition ${at}`, l); });
      const incl = rng.chance(0.5);
      guard(`references ${at}`, () => { for (const l of timed(timing, `references ${at}`, () => references(a, fu, pos, incl))) checkLoc(`references ${at}`, l); });
      guard(`documentHighlights ${at}`, () => { for (const r of timed(timing, `documentHighlights ${at}`, () => documentHighlights(a, fu, pos))) checkLoc(`documentHighlights ${at}`, { uri: fu, range: r }); });
    }
    guard('codeLenses', () => {
      for (const l of timed(timing, 'codeLenses', () => codeLenses(a, fu))) {
        checkLoc('codeLenses', { uri: fu, range: l.range });
        if (typeof l.title !== 'string' || !l.title) violations.push({ kind: 'malformed', where: 'codeLenses', message: 'lens without title' });
        for (const loc of l.locations) checkLoc('codeLenses location', loc);
      }
    });
    guard('quickFixes', () => {
      const diags = fown.map((f) => ({ range: f.range, code: f.code, data: f.data }));
      for (const q of timed(timing, 'quickFixes', () => quickFixes(a, fu, diags))) {
        if (q.diagnostic < 0 || q.diagnostic >= diags.length) violations.push({ kind: 'malformed', where: 'quickFixes', message: `diagnostic index ${q.diagnostic}` });
        for (const [u, edits] of Object.entries(q.edit.changes)) for (const e of edits) {
          checkLoc('quickFixes edit', { uri: u, range: e.range });
          if (typeof e.newText !== 'string') violations.push({ kind: 'malformed', where: 'quickFixes', message: 'edit without newText' });
        }
      }
    });
  };
  probe(uri, text, opts.positions, own);
  // The files the change made dirty answer too (a mutated Service seen from its Deployment, …).
  for (const d of dirtyChecked.slice(0, 3)) probe(d.uri, a.index.file(d.uri)?.parsed.text ?? '', 2, d.findings);
  if (opts.graph) guard('buildGraph', () => { timed(timing, 'buildGraph', () => buildGraph(a, (u) => u)); });
  const slowMs = opts.slowMs ?? SLOW_MS;
  if (timing.maxMs > slowMs) violations.push({ kind: 'slow', where: timing.maxCall, message: `${timing.maxMs.toFixed(0)} ms > ${slowMs} ms` });
  return { violations, timing, findings: findingCount };
}

// ---------------------------------------------------------------------------------------------
// Contexts: one analyzer per corpus project (and mode), loaded once, restored after every case.

export class Contexts {
  private readonly byKey = new Map<string, Analyzer>();
  private version = 1;
  loadMs = 0;

  constructor(private readonly corpus: Corpus) {}

  /** The analyzer of a project in one mode, with every file of the project indexed. */
  get(project: string, skipBodies: boolean): Analyzer {
    const key = `${project}\0${skipBodies}`;
    let a = this.byKey.get(key);
    if (!a) {
      const s = performance.now();
      a = new Analyzer({}, { skipBodies });
      for (const f of this.corpus.files) if (f.project === project) a.updateFile(f.uri, 0, f.text);
      for (const u of a.index.uris()) a.findings(u);
      a.takeDirty();
      this.byKey.set(key, a);
      this.loadMs += performance.now() - s;
    }
    return a;
  }

  nextVersion(): number {
    return ++this.version;
  }

  /** Puts a file back to its corpus text (after a case). */
  restore(a: Analyzer, file: CorpusFile): void {
    a.updateFile(file.uri, 0, file.text);
    a.takeDirty();
  }
}

// ---------------------------------------------------------------------------------------------
// Cases

export interface MutationCase {
  readonly index: number;
  readonly seed: number;
  readonly file: CorpusFile;
  readonly unit: Unit;
  readonly applied: AppliedMutation[];
  /** The whole file text after the mutation. */
  readonly text: string;
  readonly skipBodies: boolean;
}

/** Case `index` of a mutation run: which unit, which operators, the mutated file text. */
export function makeMutationCase(corpus: Corpus, seed: number, index: number, fullShare = 4): MutationCase {
  const cs = caseSeed(seed, index);
  const rng = new Rng(cs);
  const unit = rng.pick(corpus.units);
  const file = corpus.files[unit.file]!;
  const donor = () => {
    const u = rng.pick(corpus.units);
    const f = corpus.files[u.file]!;
    return f.text.slice(u.start, Math.min(u.end, u.start + 8192));
  };
  const original = file.text.slice(unit.start, unit.end);
  const m = mutate(original, rng, donor);
  const text = file.text.slice(0, unit.start) + m.text + file.text.slice(unit.end);
  return { index, seed: cs, file, unit, applied: m.applied, text, skipBodies: index % fullShare !== fullShare - 1 };
}

export function runMutationCase(ctx: Contexts, c: MutationCase, opts: Partial<AnalyseOptions> = {}): CaseResult {
  const a = ctx.get(c.file.project, c.skipBodies);
  const rng = new Rng(c.seed ^ 0x5bd1e995);
  try {
    return analyseText(a, c.file.uri, ctx.nextVersion(), c.text, rng, { positions: 4, dirty: true, maxDirty: 200, ...opts });
  } finally {
    try {
      ctx.restore(a, c.file);
    } catch {
      // Reported by the case itself when the analyzer is broken.
    }
  }
}

/** Offsets at which a file is cut for prefix cases. */
export function prefixOffsets(text: string, mode: 'lines' | 'chars' | 'sample', rng?: Rng, sample = 200): number[] {
  if (mode === 'chars') return Array.from({ length: text.length + 1 }, (_, i) => i);
  const ends: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) ends.push(i + 1);
  if (ends[ends.length - 1] !== text.length) ends.push(text.length);
  if (mode === 'lines' || !rng) return ends;
  // A seeded sample of line prefixes plus some mid-line cuts, in increasing order (as typed).
  const picked = new Set<number>([text.length]);
  while (picked.size < Math.min(sample, ends.length)) {
    const e = rng.pick(ends);
    picked.add(rng.chance(0.3) ? Math.max(0, e - 1 - rng.int(20)) : e);
  }
  return [...picked].sort((x, y) => x - y);
}

/** JSON-safe description of a text for failure files (the text itself is written alongside). */
export function describeText(text: string): { length: number; lines: number; head: string } {
  return { length: text.length, lines: lineLengths(text).length, head: text.slice(0, 200) };
}
