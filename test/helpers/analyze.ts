import { Analyzer } from '../../server/src/core/analyzer';
import type { AnalysisSettings } from '../../server/src/core/rules/context';
import type { Finding } from '../../server/src/core/types';

export const WS = 'file:///ws/';

/** A finding with its file name relative to the in-memory workspace root. */
export interface TestFinding extends Finding {
  readonly file: string;
}

/** Analyses in-memory files (name → text) as one workspace. */
export function analyze(files: Record<string, string>, settings: Partial<AnalysisSettings> = {}): { analyzer: Analyzer; findings: TestFinding[] } {
  const analyzer = new Analyzer(settings);
  for (const [name, text] of Object.entries(files)) analyzer.updateFile(WS + name, 1, text);
  const findings: TestFinding[] = [];
  for (const [uri, list] of analyzer.allFindings()) {
    for (const f of list) findings.push({ ...f, file: uri.slice(WS.length) });
  }
  return { analyzer, findings };
}

/** Findings of one code. */
export function withCode(findings: readonly TestFinding[], code: string): TestFinding[] {
  return findings.filter((f) => f.code === code);
}

/** The text a finding's range covers. */
export function covered(files: Record<string, string>, f: TestFinding): string {
  const lines = files[f.file]!.split(/\r?\n/);
  if (f.range.start.line === f.range.end.line) return lines[f.range.start.line]!.slice(f.range.start.character, f.range.end.character);
  return lines[f.range.start.line]!.slice(f.range.start.character);
}

/** Joins YAML documents; keeps tests readable. */
export function yaml(...docs: string[]): string {
  return docs.map((d) => d.replace(/^\n/, '')).join('---\n');
}
