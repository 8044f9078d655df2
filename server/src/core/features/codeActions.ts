import type { Analyzer } from '../analyzer';
import type { IndexedFile } from '../index/workspaceIndex';
import type { Service, Workload } from '../model/resources';
import { landing } from '../resolve/resolver';
import type { FindingData, Range } from '../types';
import { resourceAt } from './locate';

export interface TextEdit { readonly range: Range; readonly newText: string }
export interface WorkspaceEdit { readonly changes: Record<string, TextEdit[]> }

export interface QuickFix {
  readonly title: string;
  readonly edit: WorkspaceEdit;
  readonly isPreferred: boolean;
  /** Index of the diagnostic (in the request) this fixes. */
  readonly diagnostic: number;
}

/** What a code action request passes back: the diagnostics the client shows at the range. */
export interface DiagnosticRef {
  readonly range: Range;
  readonly code?: string | number;
  readonly data?: unknown;
}

/**
 * Quick fixes, only where the fix is unambiguous. Each is a WorkspaceEdit the user applies (and can
 * undo); nothing here writes files.
 */
export function quickFixes(a: Analyzer, uri: string, diagnostics: readonly DiagnosticRef[]): QuickFix[] {
  const file = a.index.file(uri);
  if (!file) return [];
  const out: QuickFix[] = [];
  diagnostics.forEach((d, i) => {
    const data = d.data as FindingData | undefined;
    if (data?.type === 'replace' && data.title) {
      out.push({ title: data.title, edit: { changes: { [uri]: [{ range: data.span, newText: data.newText }] } }, isPreferred: true, diagnostic: i });
    } else if (data?.type === 'slash-comment' || (d.code === 'yaml-syntax' && /^\s*\/\//.test(lineAt(file, d.range.start.line)))) {
      const slash = slashRange(file, d.range.start.line);
      if (slash) out.push({ title: 'Turn `//` into a YAML comment (`#`)', edit: { changes: { [uri]: [{ range: slash, newText: '#' }] } }, isPreferred: true, diagnostic: i });
    } else if (d.code === 'statefulset-service-not-headless') {
      const fix = makeHeadless(a, uri, file, d.range);
      if (fix) out.push({ ...fix, diagnostic: i });
    } else if (d.code === 'target-port-unresolved') {
      const fix = addPortName(a, uri, file, d.range);
      if (fix) out.push({ ...fix, diagnostic: i });
    }
  });
  // One action for every `//` line of the file when there are several.
  const slashLines = diagnostics.length ? allSlashLines(a, uri, file) : [];
  if (slashLines.length > 1 && out.some((f) => f.title.startsWith('Turn `//`'))) {
    out.push({ title: `Turn all ${slashLines.length} \`//\` lines of this file into comments`, edit: { changes: { [uri]: slashLines.map((range) => ({ range, newText: '#' })) } }, isPreferred: false, diagnostic: out.find((f) => f.title.startsWith('Turn `//`'))!.diagnostic });
  }
  return out;
}

function lineAt(file: IndexedFile, line: number): string {
  return file.parsed.lines.lineText(line);
}

function slashRange(file: IndexedFile, line: number): Range | undefined {
  const t = lineAt(file, line);
  const i = t.indexOf('//');
  if (i < 0 || t.slice(0, i).trim() !== '') return undefined;
  // `// note` becomes `# note`; `//note` becomes `#note`.
  return { start: { line, character: i }, end: { line, character: i + 2 } };
}

function allSlashLines(a: Analyzer, uri: string, file: IndexedFile): Range[] {
  return a.findings(uri).filter((f) => f.data?.type === 'slash-comment').map((f) => slashRange(file, f.range.start.line)).filter((r): r is Range => !!r);
}

/** Insert a line `key: value` as the first entry of a block mapping that starts at `pairKeyStart`. */
function insertIntoMap(target: IndexedFile, mapFirstKeyOffset: number, line: string): TextEdit {
  const pos = target.parsed.lines.positionAt(mapFirstKeyOffset);
  const indent = ' '.repeat(pos.character);
  return { range: { start: { line: pos.line, character: 0 }, end: { line: pos.line, character: 0 } }, newText: `${indent}${line}\n` };
}

function makeHeadless(a: Analyzer, uri: string, file: IndexedFile, range: Range): Omit<QuickFix, 'diagnostic'> | undefined {
  const w = resourceAt(a.index.activeResources(uri), file.parsed.lines.offsetAt(range.start));
  if (!w || w.type !== 'workload' || w.kind !== 'StatefulSet') return undefined;
  const services = a.resolver.servicesNamed(String(w.serviceName?.value ?? ''), w.namespace, w.uri);
  if (services.length !== 1) return undefined;
  const svc: Service = services[0]!;
  const target = a.index.file(svc.uri);
  if (!target) return undefined;
  let edit: TextEdit | undefined;
  if (svc.clusterIPRef) {
    edit = { range: target.parsed.lines.range(svc.clusterIPRef.span), newText: 'None' };
  } else {
    if (!svc.specFirstKeySpan) return undefined; // no spec, or a flow-style one: leave it to the user
    edit = insertIntoMap(target, svc.specFirstKeySpan.start, 'clusterIP: None');
  }
  return { title: `Make Service \`${svc.name}\` headless (clusterIP: None)`, edit: { changes: { [svc.uri]: [edit] } }, isPreferred: true };
}

/** targetPort names a port no container declares, and each selected workload has exactly one unnamed port: name it. */
function addPortName(a: Analyzer, uri: string, file: IndexedFile, range: Range): Omit<QuickFix, 'diagnostic'> | undefined {
  const offset = file.parsed.lines.offsetAt(range.start);
  const svc = resourceAt(a.index.activeResources(uri), offset);
  if (!svc || svc.type !== 'service') return undefined;
  const port = svc.ports.find((p) => p.targetPort && p.targetPort.span.start <= offset && offset <= p.targetPort.span.end);
  const name = port?.targetPort?.value;
  if (!port || typeof name !== 'string') return undefined;
  const changes: Record<string, TextEdit[]> = {};
  const missing: Workload[] = a.resolver.selectedWorkloads(svc).filter((w) => !landing(w, port).containerPort);
  if (missing.length === 0) return undefined;
  for (const w of missing) {
    const candidates = w.containers.filter((c) => c.role !== 'init').flatMap((c) => c.ports)
      .filter((p) => !p.name && p.effectiveProtocol === port.effectiveProtocol && p.containerPort);
    if (candidates.length !== 1) return undefined;
    const target = a.index.file(w.uri);
    if (!target) return undefined;
    const cp = candidates[0]!;
    const lines = target.parsed.lines;
    const itemStart = lines.positionAt(cp.span.start);
    const lineText = lines.lineText(itemStart.line);
    if (lineText.slice(itemStart.character).startsWith('{')) return undefined; // flow style: leave it alone
    (changes[w.uri] ??= []).push({ range: { start: itemStart, end: itemStart }, newText: `name: ${name}\n${' '.repeat(itemStart.character)}` });
  }
  return { title: `Name the container port \`${name}\` in ${missing.map((w) => w.name).join(', ')}`, edit: { changes }, isPreferred: false };
}
