import { parseDocument } from 'yaml';
import { LineIndex } from '../lineIndex';
import type { Origin, RenderProblem } from '../render/types';
import type { Span } from '../types';
import { alignLine } from './align';
import type { ChartTree } from './chartTree';
import { parseHelmOutput } from './output';

/**
 * Helm's error (the `Error:` of `helm template`) as one `helm-render-failed` problem at the line
 * it names: `template:line:col` for `required`, `fail` and execution errors; the template line a
 * YAML error's rendered line came from; the values file line of a values parse error; Chart.yaml
 * for the rest.
 */
export interface ErrorContext {
  readonly tree: ChartTree;
  /** The chart's path relative to the workspace, for messages. */
  readonly chartPath: string;
  /** The workspace file of a path Helm printed (the render's private copy maps back), if any. */
  readonly fileOf: (path: string) => string | undefined;
  /** Text of a workspace file the render read. */
  readonly text: (uri: string) => string | undefined;
}

/** Go yaml reports parser errors one line early (a 0-based line); scanner errors are exact. */
const PARSER_ERRORS = /^(did not find expected (<document start>|<stream-start>|node content|'-' indicator|key|',' or '\]'|',' or '\}')|found (undefined tag handle|duplicate %YAML directive|incompatible YAML document|duplicate %TAG directive))/;

/** The message of Helm's `Error:` (debug output and hints dropped). */
export function helmErrorMessage(stderr: string): string | undefined {
  const at = stderr.search(/^Error: /m);
  if (at < 0) return undefined;
  const out: string[] = [];
  for (const line of stderr.slice(at + 'Error: '.length).split(/\r?\n/)) {
    if (/^(helm\.go:\d+|[\w./-]+\.go:\d+:|Use --debug flag)/.test(line)) break;
    out.push(line);
  }
  return out.join('\n').trim();
}

export function renderErrorProblems(stderr: string, stdout: string, ctx: ErrorContext): RenderProblem[] {
  const message = helmErrorMessage(stderr) ?? (stderr.trim() || 'helm template failed without a message');
  const chart = ctx.tree.root.chartYaml;
  const problem = (uri: string, span: Span, msg: string, related: RenderProblem['related'] = []): RenderProblem =>
    ({ code: 'helm-render-failed', severity: 'error', uri, span, message: `helm template: ${msg}`, ...(related.length ? { related } : {}) });

  let m = /execution error at \(([^)\s]+?):(\d+):(\d+)\): ([\s\S]*)$/.exec(message)
    ?? /template: ([^\s:]+):(\d+):(\d+): executing "[^"]*" at <[^>]*>: ([\s\S]*)$/.exec(message);
  if (m) {
    const at = templatePlace(ctx, m[1]!, Number(m[2]), Number(m[3]));
    if (at) return [problem(at.uri, at.span, message, raisedBy(ctx, m[4]!, at))];
  }
  m = /parse error at \(([^)\s]+?):(\d+)\): ([\s\S]*)$/.exec(message) ?? /template: ([^\s:]+):(\d+): ([\s\S]*)$/.exec(message);
  if (m) {
    const at = templatePlace(ctx, m[1]!, Number(m[2]), undefined);
    if (at) return [problem(at.uri, at.span, message)];
  }
  m = /YAML parse error on ([^\s:]+): error converting YAML to JSON: yaml: line (\d+): ([\s\S]*)$/.exec(message);
  if (m) {
    const mapped = yamlErrorPlace(ctx, stdout, m[1]!, Number(m[2]), m[3]!);
    if (mapped) return [problem(mapped.uri, mapped.span, `${message}${mapped.note}`)];
  }
  m = /failed to parse (\S+?): error converting YAML to JSON: yaml: line (\d+): ([\s\S]*)$/.exec(message);
  if (m) {
    const uri = ctx.fileOf(m[1]!);
    const text = uri && ctx.text(uri);
    if (uri && text !== undefined) return [problem(uri, goYamlLine(text, Number(m[2]), m[3]!), message)];
  }
  m = /chart requires kubeVersion: (\S+)/.exec(message);
  if (m) return [problem(chart, keySpan(ctx.text(chart), 'kubeVersion'), `${message} (set the Kubernetes version with \`kubeTraffic.helm.kubeVersion\`)`)];
  return [problem(chart, keySpan(ctx.text(chart), 'name'), message)];
}

function templatePlace(ctx: ErrorContext, source: string, line: number, col: number | undefined): Origin | undefined {
  const r = ctx.tree.resolveSource(source);
  const text = r.uri && ctx.text(r.uri);
  if (!r.uri || text === undefined) return undefined;
  const lines = new LineIndex(text);
  const start = lines.offsetAt({ line: line - 1, character: col === undefined ? 0 : col - 1 });
  if (col === undefined) {
    const lt = lines.lineText(line - 1);
    const s = lines.lineStart(line - 1) + (lt.length - lt.trimStart().length);
    return { uri: r.uri, span: { start: s, end: lines.lineStart(line - 1) + lt.trimEnd().length } };
  }
  // The action that failed (helm's column points into it), or the rest of the line.
  const lineStart = lines.lineStart(line - 1);
  const open = text.lastIndexOf('{{', start + 1);
  const from = open >= lineStart ? open : start;
  const close = text.indexOf('}}', from);
  const end = Math.min(close < 0 ? Infinity : close + 2, lines.lineEnd(line - 1));
  return { uri: r.uri, span: { start: from, end: Math.max(end, from) } };
}

/** Where a `required`/`fail` message is written, and the helpers the failing line includes. */
function raisedBy(ctx: ErrorContext, msg: string, at: Origin): NonNullable<RenderProblem['related']> {
  const out: { uri: string; span: Span; message: string }[] = [];
  const text = ctx.text(at.uri) ?? '';
  const line = text.slice(text.lastIndexOf('\n', at.span.start - 1) + 1, at.span.end);
  for (const h of line.matchAll(/\b(?:include|template)\s+"([^"]+)"/g)) {
    const d = ctx.tree.helper(h[1]!);
    if (d) out.push({ uri: d.template.uri, span: d.define.span, message: `Helper "${h[1]}"` });
  }
  const quoted = JSON.stringify(msg.replace(/^error calling (fail|required): /, '').trim());
  for (const uri of ctx.tree.templateUris()) {
    const t = ctx.text(uri) ?? '';
    const i = t.indexOf(quoted);
    if (i < 0 || uri === at.uri && i >= at.span.start && i <= at.span.end) continue;
    const before = t.slice(Math.max(0, i - 40), i);
    if (!/\b(fail|required)\s*\(?\s*$/.test(before)) continue;
    out.push({ uri, span: { start: i, end: i + quoted.length }, message: 'The message is written here' });
    break;
  }
  return out;
}

function yamlErrorPlace(ctx: ErrorContext, stdout: string, source: string, goLine: number, reason: string): (Origin & { note: string }) | undefined {
  const r = ctx.tree.resolveSource(source);
  const template = r.uri ? ctx.tree.template(r.uri) : undefined;
  if (!r.uri || !template) return undefined;
  let line = PARSER_ERRORS.test(reason) ? goLine + 1 : goLine;
  // Helm splits the template's output into documents and names a line of one of them.
  const outputs = parseHelmOutput(stdout).filter((d) => d.source === source);
  const docs = outputs.flatMap((d) => d.content.split(/(?:^|\s*\n)---\s*/).map((x) => x.trim()).filter((x) => x !== ''));
  const doc = docs.find((d) => parseDocument(d).errors.length > 0 && d.split('\n').length >= line) ?? docs.find((d) => d.split('\n').length >= line);
  if (!doc) return undefined;
  const rendered = doc.split('\n');
  line = Math.min(line, rendered.length);
  while (line > 1 && rendered[line - 1]!.trim() === '') line--;
  const tl = alignLine(template, rendered, line - 1);
  if (!tl) return undefined;
  return { uri: r.uri, span: tl.content, note: ` (rendered line ${line}: \`${rendered[line - 1]!.trim()}\`)` };
}

function goYamlLine(text: string, goLine: number, reason: string): Span {
  const lines = new LineIndex(text);
  let l = Math.max(0, Math.min(lines.lineCount - 1, (PARSER_ERRORS.test(reason) ? goLine + 1 : goLine) - 1));
  // At the end of the text (an unclosed flow collection): the last line with something on it.
  while (l > 0 && lines.lineText(l).trim() === '') l--;
  const t = lines.lineText(l);
  return { start: lines.lineStart(l) + (t.length - t.trimStart().length), end: lines.lineStart(l) + t.trimEnd().length };
}

function keySpan(text: string | undefined, key: string): Span {
  if (!text) return { start: 0, end: 0 };
  const m = new RegExp(`^${key}\\s*:.*$`, 'm').exec(text);
  if (m) return { start: m.index, end: m.index + m[0].length };
  const first = text.search(/\S/);
  return { start: Math.max(0, first), end: Math.max(0, first) };
}
