import type { ParsedTemplate, TemplateLine } from './template';
import { linePattern } from './templateLines';

/**
 * Line alignment of rendered text against its template, for text that is not YAML (Helm's YAML
 * errors name a line of the rendered text): the longest in-order matching of rendered lines to
 * literal template lines (actions as wildcards; lines without actions weigh more). A rendered line
 * no literal line wrote is given to the first emitter after the previous match.
 */
export function alignLine(template: ParsedTemplate, rendered: readonly string[], target: number): TemplateLine | undefined {
  const lines = template.lines.filter((l) => l.kind === 'literal' || l.kind === 'emitter' || l.kind === 'scalar');
  const lit = lines.filter((l) => l.kind === 'literal' && l.literal !== undefined);
  const patterns = lit.map((l) => linePattern(l)!);
  const n = Math.min(rendered.length, target + 1);
  const m = lit.length;
  if (n === 0 || lines.length === 0) return undefined;
  const weight = (i: number, j: number): number => {
    const l = lit[j]!;
    if (!patterns[j]!.test(rendered[i]!)) return 0;
    return template.text.slice(l.start, l.end).includes('{{') ? 1 : 2;
  };
  let matchOf: (number | undefined)[];
  if (n * m <= 4_000_000) {
    // dp[i][j]: best weight aligning rendered[i..] with lit[j..]
    const dp = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        const w = weight(i, j);
        dp[i]![j] = Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!, w > 0 ? w + dp[i + 1]![j + 1]! : 0);
      }
    }
    matchOf = new Array(n);
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      const w = weight(i, j);
      if (w > 0 && dp[i]![j] === w + dp[i + 1]![j + 1]!) {
        matchOf[i++] = j++;
      } else if (dp[i]![j] === dp[i + 1]![j]) i++;
      else j++;
    }
  } else {
    matchOf = new Array(n);
    let j = 0;
    for (let i = 0; i < n; i++) {
      for (let k = j; k < m; k++) {
        if (weight(i, k) > 0) {
          matchOf[i] = k;
          j = k + 1;
          break;
        }
      }
    }
  }
  const hit = matchOf[target];
  if (hit !== undefined) return lit[hit];
  let prev = -1;
  for (let i = target - 1; i >= 0; i--) {
    if (matchOf[i] !== undefined) {
      prev = lit[matchOf[i]!]!.index;
      break;
    }
  }
  const emitter = template.lines.find((l) => l.index > prev && l.kind === 'emitter');
  const nextLiteral = template.lines.find((l) => l.index > prev && l.kind === 'literal');
  if (emitter && (!nextLiteral || emitter.index < nextLiteral.index)) return emitter;
  return prev >= 0 ? template.lines[prev] : nextLiteral;
}
