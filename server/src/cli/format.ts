import { RULES } from '../core/rules/catalogue';
import { severityRank, type Finding, type Range, type Severity } from '../core/types';

/** A finding with its file shown relative to the current directory, as the CLI prints it. */
export interface CliFinding {
  readonly file: string;
  readonly finding: Finding;
  readonly related: readonly { file: string; range: Range; message: string }[];
}

export function sortCliFindings(list: CliFinding[]): CliFinding[] {
  return list.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)
    || a.finding.range.start.line - b.finding.range.start.line
    || a.finding.range.start.character - b.finding.range.start.character
    || (a.finding.code < b.finding.code ? -1 : a.finding.code > b.finding.code ? 1 : 0));
}

export function formatText(list: readonly CliFinding[], fileCount: number, skipped: number): string {
  const lines = list.map(({ file, finding: f }) =>
    `${file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code}: ${f.message}${f.variants ? ` [${f.variants.join(', ')}]` : ''}`);
  const count = (s: Severity) => list.filter((c) => c.finding.severity === s).length;
  const n = (c: number, one: string, many: string) => `${c} ${c === 1 ? one : many}`;
  const parts = [n(count('error'), 'error', 'errors'), n(count('warning'), 'warning', 'warnings'), `${count('information')} information`, n(count('hint'), 'hint', 'hints')];
  lines.push(`${list.length === 0 ? 'No problems' : `${list.length} problem${list.length === 1 ? '' : 's'}`} (${parts.join(', ')}) in ${fileCount} file${fileCount === 1 ? '' : 's'}${skipped ? `, ${skipped} skipped` : ''}.`);
  return lines.join('\n') + '\n';
}

export function formatJson(list: readonly CliFinding[]): string {
  return JSON.stringify(list.map(({ file, finding: f, related }) => ({
    file, range: f.range, severity: f.severity, code: f.code, message: f.message,
    related: related.map((r) => ({ file: r.file, range: r.range, message: r.message })),
    ...(f.variants ? { variants: f.variants } : {}),
  })), null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error', warning: 'warning', information: 'note', hint: 'note',
};

function region(r: Range) {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

/**
 * SARIF 2.1.0. `ruleDocs` (docs/rules.md's sections by code) becomes each reported rule's `help`,
 * which code scanning shows beside an alert; there is no web page to point a helpUri at.
 */
export function formatSarif(list: readonly CliFinding[], version: string, ruleDocs?: ReadonlyMap<string, string>): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.code, i]));
  const reported = new Set(list.map((c) => c.finding.code));
  const help = (code: string) => {
    const doc = reported.has(code) ? ruleDocs?.get(code) : undefined;
    return doc ? { help: { text: doc, markdown: doc } } : {};
  };
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'kube-traffic', version,
          rules: RULES.map((r) => ({
            id: r.code, name: r.code, shortDescription: { text: r.summary }, ...help(r.code),
            defaultConfiguration: { level: SARIF_LEVEL[r.severity] }, properties: { category: r.category },
          })),
        },
      },
      columnKind: 'utf16CodeUnits',
      originalUriBaseIds: { '%SRCROOT%': { uri: 'file:///' } },
      results: list.map(({ file, finding: f, related }) => ({
        ruleId: f.code, ruleIndex: ruleIndex.get(f.code) ?? -1, level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: file, uriBaseId: '%SRCROOT%' }, region: region(f.range) } }],
        ...(related.length ? {
          relatedLocations: related.map((r, i) => ({
            id: i, message: { text: r.message },
            physicalLocation: { artifactLocation: { uri: r.file, uriBaseId: '%SRCROOT%' }, region: region(r.range) },
          })),
        } : {}),
        properties: { severity: f.severity, ...(f.variants ? { variants: f.variants } : {}) },
      })),
    }],
  };
  delete (sarif.runs[0] as { originalUriBaseIds?: unknown }).originalUriBaseIds;
  return JSON.stringify(sarif, null, 2) + '\n';
}

export function atOrAbove(s: Severity, threshold: Severity): boolean {
  return severityRank(s) <= severityRank(threshold);
}
