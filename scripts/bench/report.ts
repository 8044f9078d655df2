/**
 * The benchmark's table: one row per measurement, one column per workspace, the target and
 * whether every workspace meets it (verdicts are also in the JSON).
 */
import { CAP, CROSS_EDITS, EDITS, FULL_EDITS, KT_DEBOUNCE_MS, PROBES, YAMLLS_DEBOUNCE_MS, type Stats } from './common';
import type { CliResult } from './cli';
import type { KeystrokeResult } from './keystrokes';
import type { CrossResult, IndexResult, ProbeResult, StorageResult } from './measure';
import type { FloorResult } from './workspaces';

export interface RenderResult { what: string; ms: number; detail: string; error?: string }

export interface WorkspaceResult {
  id: string; dir: string; files: number; mb: number; resources?: number;
  floor: FloorResult;
  cold: IndexResult; warm: IndexResult;
  /** Variant workspaces: spawn → the last 'ready' once background renders have landed. */
  settledMs?: number;
  render?: RenderResult;
  cli?: CliResult;
  /** Helm workspace: the CLI with --no-helm (the difference is helm's share). */
  cliNoHelm?: CliResult;
  keystroke: Record<string, KeystrokeResult>;
  cross: CrossResult;
  probes?: ProbeResult;
  /** What the cold session left in its storagePath (a persisted index). */
  storage?: StorageResult;
  /** VmHWM of the cold session at 'ready', and of the warm session after every measurement. */
  rssAfterIndexMb?: number;
  peakRssMb?: number;
  yamlls: Record<string, KeystrokeResult & { peakRssMb?: number; sameAs?: string }>;
  skipped: string[];
  seconds?: number;
}

interface Row { measurement: string; cells: Record<string, string>; target: string; met: string }
/** ok null: not measured (no sample in the time budget), left out of the verdict but named. */
type Check = { id: string; ok: boolean | null; detail: string };

const KEYS = ['small', 'large', 'full', 'typing', 'argo'] as const;
const KEY_NAMES: Record<string, string> = {
  small: 'small file', large: 'largest multi-document file (generated: an edit in the middle of the 2,000-document bundle)',
  full: 'the same edit as a full-text didChange (Kustomize: in the base)', typing: 'largest file, typing in a description (no diagnostic change: to the pass\'s end)',
  argo: 'argo-cd install.yaml',
};

const ms = (x: number | undefined) => (x === undefined ? '—' : x >= 10000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`);
const overBy = (x: number, limit: number) => (x <= limit ? '' : `, ${(x / limit).toFixed(1)}× the target`);
/** The issue's memory target: 100 MB + 4 KB per resource as written in the files. */
const rssLimitMb = (resources: number) => 100 + (4 * resources) / 1024;

export function buildTable(results: WorkspaceResult[]): { rows: Row[]; verdicts: Record<string, { met: boolean | null; detail: string }> } {
  const ids = results.map((r) => r.id);
  const by = (id: string) => results.find((r) => r.id === id);
  const rows: Row[] = [];
  const verdicts: Record<string, { met: boolean | null; detail: string }> = {};
  // A cell: p50 / p95, the sample count when short of the series, or why there is no number (short; the JSON has the whole note).
  const pp = (s: Stats | undefined, wanted: number, note?: string) => (s ? `${ms(s.p50)} / ${ms(s.p95)}${s.n < wanted ? ` (n=${s.n})` : ''}`
    : note ? note.replace(/^no sample in the time budget.*$/, 'no sample in the time budget').replace(/^(\d+) of \d+ edits in the time budget.*$/, 'no sample in the time budget') : '—');
  const verdict = (key: string, all: Check[]) => {
    const checks = all.filter((c) => c.ok !== null);
    const unmeasured = all.filter((c) => c.ok === null).map((c) => c.id);
    const tail = unmeasured.length ? ` (not measured: ${unmeasured.join(', ')})` : '';
    if (!checks.length) { verdicts[key] = { met: null, detail: `not measured${tail}` }; return 'n/a'; }
    const bad = checks.filter((c) => !c.ok);
    verdicts[key] = { met: bad.length === 0, detail: (bad.length ? bad : checks).map((c) => `${c.id}: ${c.detail}`).join('; ') + tail };
    return (bad.length === 0 ? 'yes' : `**no**: ${bad.map((c) => `${c.id} ${c.detail}`).join('; ')}`) + tail;
  };
  const row = (measurement: string, cell: (r: WorkspaceResult) => string, target = '', met = '') => {
    const r: Row = { measurement, cells: Object.fromEntries(ids.map((id) => [id, cell(by(id)!)])), target, met };
    rows.push(r);
    return r;
  };
  const skippedCell = (r: WorkspaceResult) => (r.skipped.length ? 'skipped †' : '—');
  const resourcesOf = (r: WorkspaceResult) => r.resources ?? r.cold.resources;

  row('files / MB / resources', (r) => `${r.files} / ${r.mb.toFixed(1)} MB${resourcesOf(r) ? ` / ${resourcesOf(r)}` : ''}`);
  row('parse floor: read + yaml.parseAllDocuments, 1 thread', (r) => `${ms(r.floor.ms)}${r.floor.estimated ? ' (est.)' : ''}`);
  const idx = (x: IndexResult, floor: number) => (x.timeout ? `timeout > ${x.timeout / 1000} s` : x.skipped ? 'skipped †' : `${ms(x.readyMs)} (${(x.readyMs! / floor).toFixed(2)}× floor)`);
  row('cold index: spawn → first complete diagnostics', (r) => idx(r.cold, r.floor.ms), '≤ 0.5 × floor',
    verdict('cold', results.map((r) => (r.cold.timeout
      ? { id: r.id, ok: false, detail: `> ${r.cold.timeout / 1000} s (> ${(r.cold.timeout / r.floor.ms).toFixed(1)}× floor)` }
      : { id: r.id, ok: r.cold.readyMs! <= 0.5 * r.floor.ms, detail: `${(r.cold.readyMs! / r.floor.ms).toFixed(2)}×${overBy(r.cold.readyMs!, 0.5 * r.floor.ms)}` }))));
  row('cold index: last publishDiagnostics', (r) => (r.cold.readyMs ? ms(r.cold.lastPublishMs) : '—'));
  if (results.some((r) => r.settledMs !== undefined || r.render)) {
    row('variants: spawn → diagnostics with every render landed (quiet 3 s)', (r) => (r.settledMs !== undefined ? ms(r.settledMs) : '—'));
    row('variants: render cost on its own (Kustomize: native engine, all roots; Helm: helm template, every variant, serially)',
      (r) => (r.render ? `${ms(r.render.ms)} (${r.render.detail})${r.render.error ? ` error: ${r.render.error}` : ''}` : '—'));
  }
  const cliCell = (r: WorkspaceResult) => {
    const c = r.cli;
    if (!c) return skippedCell(r);
    if (c.timeout) return `timeout > ${c.timeout / 1000} s`;
    if (c.error) return `error: ${c.error}`;
    const noHelm = r.cliNoHelm?.ms !== undefined ? `; --no-helm ${ms(r.cliNoHelm.ms)}` : '';
    return `${ms(c.ms)} (${(c.ms! / r.floor.ms).toFixed(2)}× floor; CPU ${ms(c.cpuMs)}, ${c.findings ?? '?'} findings${noHelm})`;
  };
  row('`kube-traffic check`: spawn → exit', cliCell, '≤ 0.6 × floor',
    verdict('cli', results.filter((r) => r.cli).map((r) => (r.cli!.ms !== undefined && !r.cli!.error
      ? { id: r.id, ok: r.cli!.ms <= 0.6 * r.floor.ms, detail: `${(r.cli!.ms / r.floor.ms).toFixed(2)}×${overBy(r.cli!.ms, 0.6 * r.floor.ms)}` }
      : { id: r.id, ok: false, detail: r.cli!.error ?? `> ${r.cli!.timeout! / 1000} s` }))));
  row('`kube-traffic check`: peak RSS (VmHWM)', (r) => (r.cli?.peakRssMb ? `${r.cli.peakRssMb.toFixed(0)} MB` : '—'));
  row('warm start: restarted, files unchanged', (r) => idx(r.warm, r.floor.ms), '≤ 0.1 × floor',
    verdict('warm', results.filter((r) => !r.warm.skipped).map((r) => (r.warm.timeout
      ? { id: r.id, ok: false, detail: `> ${r.warm.timeout / 1000} s` }
      : { id: r.id, ok: r.warm.readyMs! <= 0.1 * r.floor.ms, detail: `${(r.warm.readyMs! / r.floor.ms).toFixed(2)}×${overBy(r.warm.readyMs!, 0.1 * r.floor.ms)}` }))));

  const keyChecks: Check[] = [];
  const keyRows: Row[] = [];
  for (const key of KEYS) {
    if (!results.some((r) => r.keystroke[key])) continue;
    const wanted = key === 'full' ? FULL_EDITS : EDITS;
    keyRows.push(row(`keystroke → its diagnostics, p50 / p95: ${KEY_NAMES[key]}`, (r) => (r.keystroke[key] ? pp(r.keystroke[key]!.stats, wanted, r.keystroke[key]!.note) : key === 'small' ? skippedCell(r) : '—'), 'p95 ≤ 50 ms', '↓'));
    for (const r of results) {
      const k = r.keystroke[key];
      if (k?.stats) keyChecks.push({ id: `${r.id} ${key}`, ok: k.stats.p95 <= 50, detail: `${ms(k.stats.p95)}` });
      else if (k) keyChecks.push({ id: `${r.id} ${key}`, ok: k.timeouts ? false : null, detail: k.note ?? 'not measured' });
    }
  }
  if (keyRows.length) keyRows[keyRows.length - 1]!.met = verdict('keystroke', keyChecks);
  for (const key of KEYS) {
    if (!results.some((r) => r.keystroke[key]?.passStats)) continue;
    row(`keystroke → whole diagnostics pass done, p50 / p95: ${KEY_NAMES[key]}`, (r) => {
      const k = r.keystroke[key];
      if (!k) return '—';
      if (!k.passStats) return k.passTimeouts ? `> ${CAP.passMs / 1000} s (${k.passTimeouts} of ${k.passTimeouts})` : '—';
      return `${pp(k.passStats, k.samples.length)}${k.passTimeouts ? `; ${k.passTimeouts} more > ${CAP.passMs / 1000} s` : ''}`;
    });
  }
  row('cross-file: pod label edit → Service file diagnostics, p50 / p95', (r) => (r.cross.stats || r.cross.note ? pp(r.cross.stats, CROSS_EDITS, r.cross.note) : skippedCell(r)), 'p95 ≤ 100 ms',
    verdict('cross', results.filter((r) => r.cross.stats || r.cross.note).map((r) => ({ id: r.id, ok: r.cross.stats ? r.cross.stats.p95 <= 100 : r.cross.timeouts ? false : null, detail: r.cross.stats ? ms(r.cross.stats.p95) : r.cross.note ?? 'not measured' }))));
  row(`hover p50 / p95 (${PROBES} positions)`, (r) => (r.probes ? pp(r.probes.hoverStats, PROBES, r.probes.note) : skippedCell(r)), 'p95 ≤ 20 ms', '↓');
  row('definition p50 / p95 (same positions)', (r) => (r.probes ? pp(r.probes.definitionStats, PROBES, r.probes.note) : skippedCell(r)), 'p95 ≤ 20 ms',
    verdict('hoverDefinition', results.filter((r) => r.probes).flatMap((r) => [
      { id: `${r.id} hover`, ok: !!r.probes?.hoverStats && r.probes.hoverStats.p95 <= 20, detail: ms(r.probes?.hoverStats?.p95) },
      { id: `${r.id} definition`, ok: !!r.probes?.definitionStats && r.probes.definitionStats.p95 <= 20, detail: ms(r.probes?.definitionStats?.p95) },
    ])));
  row('server RSS: peak after the cold index (VmHWM)', (r) => (r.rssAfterIndexMb ? `${r.rssAfterIndexMb.toFixed(0)} MB` : '—'), '', '↓');
  row('server RSS: peak over the whole session (VmHWM)', (r) => (r.peakRssMb ? `${r.peakRssMb.toFixed(0)} MB` : '—'), '≤ 100 MB + 4 KB × resources',
    verdict('rss', results.filter((r) => r.peakRssMb && resourcesOf(r)).map((r) => {
      const limit = rssLimitMb(resourcesOf(r)!);
      return { id: r.id, ok: r.peakRssMb! <= limit, detail: `${r.peakRssMb!.toFixed(0)} MB of ${limit.toFixed(0)} MB${overBy(r.peakRssMb!, limit)}` };
    })));
  // Growth: cold index relative to 10k (a lower bound when it timed out).
  const r10 = by('10k');
  const growthOf = (r: WorkspaceResult) => (r10?.cold.readyMs ? (r.cold.readyMs ? { x: r.cold.readyMs / r10.cold.readyMs, lower: false } : r.cold.timeout ? { x: r.cold.timeout / r10.cold.readyMs, lower: true } : undefined) : undefined);
  const r100 = by('100k');
  const g100 = r100 ? growthOf(r100) : undefined;
  row('growth: cold index ÷ cold index of 10k (floor ÷ floor of 10k)', (r) => {
    if (!/^\d+k$/.test(r.id) || !r10) return '—';
    const g = growthOf(r);
    return `${g ? `${g.lower ? '> ' : ''}${g.x.toFixed(1)}×` : '—'} (${(r.floor.ms / r10.floor.ms).toFixed(1)}×)`;
  }, '100k ≤ 10.5 × 10k',
  verdict('growth', g100 ? [{ id: '100k', ok: !g100.lower && g100.x <= 10.5, detail: `${g100.lower ? '> ' : ''}${g100.x.toFixed(1)}× 10k` }] : []));
  yamllsRows(results, row, verdict, pp);
  return { rows, verdicts };
}

function yamllsRows(
  results: WorkspaceResult[], row: (m: string, c: (r: WorkspaceResult) => string, t?: string, met?: string) => Row,
  verdict: (key: string, all: Check[]) => string, pp: (s: Stats | undefined, wanted: number, note?: string) => string,
): void {
  const yChecks: Check[] = [];
  const yRows: Row[] = [];
  for (const key of KEYS) {
    if (!results.some((r) => r.yamlls[key])) continue;
    yRows.push(row(`yaml-language-server keystroke p50 / p95: ${KEY_NAMES[key]} (p95 ÷ Kube Traffic's; same ex-debounce)`, (r) => {
      const y = r.yamlls[key];
      const k = r.keystroke[key];
      if (!y) return '—';
      if (!y.stats) return y.note ?? '—';
      const exDebounce = KT_DEBOUNCE_MS !== undefined && YAMLLS_DEBOUNCE_MS !== undefined && k?.stats && k.stats.p95 - KT_DEBOUNCE_MS >= 1
        ? `; ${((y.stats.p95 - YAMLLS_DEBOUNCE_MS) / (k.stats.p95 - KT_DEBOUNCE_MS)).toFixed(1)}×` : '';
      const ratio = k?.stats ? ` (${(y.stats.p95 / k.stats.p95).toFixed(1)}×${exDebounce})` : '';
      return `${pp(y.stats, EDITS, y.note)}${ratio}${y.sameAs ? ` ‡` : ''}`;
    }, key === 'small' ? '' : '≥ 10× (large files)', '↓'));
    if (key === 'small') continue;
    for (const r of results) {
      const y = r.yamlls[key];
      const k = r.keystroke[key];
      if (y?.stats && k?.stats) yChecks.push({ id: `${r.id} ${key}`, ok: y.stats.p95 / k.stats.p95 >= 10, detail: `${(y.stats.p95 / k.stats.p95).toFixed(1)}×` });
    }
  }
  if (yRows.length) yRows[yRows.length - 1]!.met = verdict('vsYamlLanguageServer', yChecks);
}

export function renderTable(rows: Row[], ids: string[]): string {
  const head = ['measurement', ...ids, 'target', 'met?'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${[r.measurement, ...ids.map((id) => r.cells[id] ?? '—'), r.target, r.met].join(' | ')} |`);
  return lines.join('\n');
}
