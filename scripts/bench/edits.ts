/**
 * Where the benchmark edits and asks: one-character edits that toggle a diagnostic (so every edit
 * produces a publishDiagnostics for the file: the server publishes only when diagnostics change),
 * the pod template label of a workload, and hover/definition positions. Found with the `yaml`
 * package on the files' text, independently of the server.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Scalar } from 'yaml';

export interface Edit {
  /** Offset of the insertion in the original text; the revert removes `text` again. */
  readonly offset: number;
  readonly text: string;
  readonly what: string;
}

export interface Position { readonly line: number; readonly character: number }

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** UTF-16 offset → LSP position (JS strings are UTF-16, as LSP's default encoding). */
export function positionAt(starts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo]! };
}

function docs(text: string): Document.Parsed[] {
  const r = parseAllDocuments(text);
  return Array.isArray(r) ? r : [];
}

const plainString = (n: unknown): n is Scalar<string> =>
  isScalar(n) && n.type === 'PLAIN' && typeof n.value === 'string' && !!n.range;

const str = (d: Document.Parsed, p: readonly unknown[]): string | undefined => {
  const v = d.getIn(p);
  return typeof v === 'string' ? v : undefined;
};

/**
 * Candidate keystrokes, best first: a character appended to a Service selector value (the Service
 * then selects nothing, or stops doing so on the revert), to a named targetPort, then `//` typed
 * before a top-level `#` comment line (a yaml-syntax diagnostic), then a new `//` line at the top.
 * `preferAfter` picks candidates after that offset first (e.g. the middle of a large file).
 */
export function keystrokeCandidates(text: string, preferAfter = 0): Edit[] {
  const out: Edit[] = [];
  for (const d of docs(text)) {
    if (str(d, ['kind']) !== 'Service') continue;
    const name = str(d, ['metadata', 'name']) ?? '?';
    const sel = d.getIn(['spec', 'selector'], true);
    if (isMap(sel)) {
      for (const pair of sel.items) {
        if (plainString(pair.value)) out.push({ offset: pair.value.range![1], text: 'x', what: `one character appended to the selector value of Service \`${name}\`` });
      }
    }
    const ports = d.getIn(['spec', 'ports'], true);
    if (isSeq(ports)) {
      for (const p of ports.items) {
        const tp = isMap(p) ? p.get('targetPort', true) : undefined;
        if (plainString(tp) && !/^\d+$/.test(tp.value)) out.push({ offset: tp.range![1], text: 'x', what: `one character appended to the named targetPort of Service \`${name}\`` });
      }
    }
  }
  const sorted = [...out.filter((e) => e.offset >= preferAfter), ...out.filter((e) => e.offset < preferAfter)];
  const comment = /^#/m.exec(text.slice(preferAfter)) ?? /^#/m.exec(text);
  if (comment) {
    const at = comment.index + (/^#/m.exec(text.slice(preferAfter)) ? preferAfter : 0);
    sorted.push({ offset: at, text: '//', what: '`//` typed before a top-level `#` comment line (toggles a yaml-syntax diagnostic)' });
  }
  sorted.push({ offset: 0, text: '// kt-bench\n', what: 'a `//` line inserted at the top (toggles a yaml-syntax diagnostic)' });
  return sorted;
}

/**
 * A plain keystroke that changes no diagnostic: a character appended to a `description:` line (a
 * plain scalar) after `after`. The server then publishes nothing; its pass's 'ready' marks the end.
 */
export function typingEdit(text: string, after = 0): Edit | undefined {
  const re = /^[ \t]+description: [A-Za-z][^\n'"#:]*$/gm;
  re.lastIndex = after;
  const m = re.exec(text) ?? (re.lastIndex = 0, re.exec(text));
  return m ? { offset: m.index + m[0].length, text: 'x', what: 'one character typed at the end of a `description:` line (no diagnostic changes; timed to the end of the pass)' } : undefined;
}

/** The offset just after the value of pod template label `key` of the workload `name` (plain scalar), if any. */
export function templateLabelEnd(text: string, workloadName: string, key: string): number | undefined {
  for (const d of docs(text)) {
    if (str(d, ['metadata', 'name']) !== workloadName) continue;
    const kind = str(d, ['kind']);
    const labels = kind === 'CronJob' ? d.getIn(['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'], true)
      : kind === 'Pod' ? d.getIn(['metadata', 'labels'], true) : d.getIn(['spec', 'template', 'metadata', 'labels'], true);
    if (!isMap(labels)) continue;
    const v = labels.get(key, true);
    if (plainString(v)) return v.range![1];
  }
  return undefined;
}

/** The selector of Service `name` in a file (string values only). */
export function serviceSelector(text: string, name: string): Record<string, string> | undefined {
  for (const d of docs(text)) {
    if (str(d, ['kind']) !== 'Service' || str(d, ['metadata', 'name']) !== name) continue;
    const sel = d.getIn(['spec', 'selector']);
    if (sel && typeof sel === 'object') {
      const o = (sel as { toJSON?: () => unknown }).toJSON ? (sel as { toJSON: () => Record<string, unknown> }).toJSON() : sel as Record<string, unknown>;
      return Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    }
  }
  return undefined;
}

export type ProbeKind = 'service-name' | 'selector-value' | 'target-port' | 'backend-name';
export interface Probe { readonly kind: ProbeKind; readonly offset: number }

/**
 * Hover/definition positions in one file: Service names, selector values, targetPorts, Ingress and
 * HTTPRoute backend names, StatefulSet serviceNames (the middle of each scalar).
 */
export function probes(text: string): Probe[] {
  const out: Probe[] = [];
  const mid = (n: Node | null | undefined, kind: ProbeKind) => {
    if (isScalar(n) && n.range && n.range[1] > n.range[0]) out.push({ kind, offset: (n.range[0] + n.range[1]) >> 1 });
  };
  for (const d of docs(text)) {
    const kind = str(d, ['kind']);
    if (kind === 'Service') {
      mid(d.getIn(['metadata', 'name'], true) as Node, 'service-name');
      const sel = d.getIn(['spec', 'selector'], true);
      if (isMap(sel)) for (const p of sel.items) mid(p.value as Node, 'selector-value');
      const ports = d.getIn(['spec', 'ports'], true);
      if (isSeq(ports)) for (const p of ports.items) if (isMap(p)) mid(p.get('targetPort', true) as Node, 'target-port');
    } else if (kind === 'Ingress') {
      const rules = d.getIn(['spec', 'rules'], true);
      if (isSeq(rules)) {
        for (const r of rules.items) {
          const paths = isMap(r) ? r.getIn(['http', 'paths'], true) : undefined;
          if (isSeq(paths)) for (const p of paths.items) if (isMap(p)) mid(p.getIn(['backend', 'service', 'name'], true) as Node, 'backend-name');
        }
      }
      mid(d.getIn(['spec', 'defaultBackend', 'service', 'name'], true) as Node, 'backend-name');
    } else if (kind === 'HTTPRoute' || kind === 'GRPCRoute') {
      const rules = d.getIn(['spec', 'rules'], true);
      if (isSeq(rules)) {
        for (const r of rules.items) {
          const refs = isMap(r) ? r.get('backendRefs', true) : undefined;
          if (isSeq(refs)) for (const b of refs.items) if (isMap(b)) mid(b.get('name', true) as Node, 'backend-name');
        }
      }
    } else if (kind === 'StatefulSet') {
      mid(d.getIn(['spec', 'serviceName'], true) as Node, 'backend-name');
    }
  }
  return out;
}
