import { parseDocument } from 'yaml';
import { LineIndex } from '../lineIndex';
import type { Origin, RenderedDocument, SourceMapping } from '../render/types';
import { RENDER_SCHEME } from '../variants/mapping';
import { relative } from './charts';
import type { ChartTree } from './chartTree';
import { DocumentMapper, type Region } from './mapDocument';
import type { ParsedTemplate } from './template';

/** One document of `helm template`'s output: `---`, `# Source: <chart>/templates/x.yaml`, the YAML. */
export interface HelmOutputDocument {
  readonly source: string;
  readonly content: string;
}

export function parseHelmOutput(stdout: string): HelmOutputDocument[] {
  const out: HelmOutputDocument[] = [];
  const header = /^---[ \t]*\r?\n# Source: (.*?)[ \t]*\r?\n/gm;
  const starts: { at: number; body: number; source: string }[] = [];
  for (let m = header.exec(stdout); m; m = header.exec(stdout)) starts.push({ at: m.index, body: m.index + m[0].length, source: m[1]! });
  starts.forEach((s, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.at : stdout.length;
    out.push({ source: s.source, content: stdout.slice(s.body, end).replace(/\s+$/, '') });
  });
  return out;
}

/**
 * The rendered documents of a variant, each with its source map into the template it came from
 * (`# Source:`): every key and value maps to a template line (or, for what a helper or `toYaml`
 * printed, to the action that printed it), and the whole document to its first printing line.
 */
export function mapHelmOutput(variant: string, tree: ChartTree, stdout: string): RenderedDocument[] {
  const docs = parseHelmOutput(stdout);
  const lastSegment = new Map<string, number>();
  return docs.map((d, i) => {
    const text = `# Source: ${d.source}\n${d.content}\n`;
    const uri = `${RENDER_SCHEME}/${encodeURIComponent(variant)}/${i}`;
    const r = tree.resolveSource(d.source);
    const template = r.uri ? tree.template(r.uri) : undefined;
    if (!template) return { uri, text, map: [{ span: { start: 0, end: text.length }, origin: packagedOrigin(tree, r) }] };
    const lines = new LineIndex(text);
    const yaml = parseDocument(text, { uniqueKeys: false, keepSourceTokens: false });
    const ctx = {
      template,
      helper: (name: string) => tree.helper(name),
      values: tree.values(r.node),
      label: (u: string) => relative(tree.root.uri, u),
    };
    const segments = segmentsOf(template);
    let best: { mapper: DocumentMapper; top: Origin; seg: number } | undefined;
    const previous = lastSegment.get(template.uri) ?? 0;
    for (let s = 0; s < segments.length; s++) {
      const mapper = new DocumentMapper(ctx, lines);
      const top = mapper.mapRoot(yaml.contents, segments[s]!);
      const better = !best || mapper.literalHits > best.mapper.literalHits
        || (mapper.literalHits === best.mapper.literalHits && best.seg < previous && s >= previous);
      if (better) best = { mapper, top, seg: s };
      if (segments.length > 12 && s >= previous && mapper.literalHits > 0) break; // many segments: the first fitting one
    }
    lastSegment.set(template.uri, best!.seg);
    const map: SourceMapping[] = [{ span: { start: 0, end: text.length }, origin: best!.top }, ...best!.mapper.out];
    map.sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
    return { uri, text, map };
  });
}

/** The parts of a template between its literal `---` lines. */
function segmentsOf(t: ParsedTemplate): Region[] {
  const out: Region[] = [];
  let from = 0;
  for (const l of t.lines) {
    if (l.kind !== 'separator') continue;
    if (hasOutput(t, from, l.index)) out.push({ from, to: l.index });
    from = l.index + 1;
  }
  if (hasOutput(t, from, t.lines.length) || out.length === 0) out.push({ from, to: t.lines.length });
  return out;
}

function hasOutput(t: ParsedTemplate, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (t.lines[i]!.kind === 'literal' || t.lines[i]!.kind === 'emitter') return true;
  return false;
}

/** A document of a packaged subchart (`charts/x-1.0.0.tgz`): its declaration, or Chart.yaml. */
function packagedOrigin(tree: ChartTree, r: ReturnType<ChartTree['resolveSource']>): Origin {
  const dep = r.packaged ? r.node.dependencies.find((d) => (d.alias ?? d.name) === r.packaged) : undefined;
  if (dep) return { uri: dep.uri, span: dep.span };
  const text = tree.text(r.node.chartYaml) ?? '';
  const first = Math.max(0, text.search(/\S/));
  const eol = text.indexOf('\n', first);
  return { uri: r.node.chartYaml, span: { start: first, end: eol < 0 ? text.length : eol } };
}
