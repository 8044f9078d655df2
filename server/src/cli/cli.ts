import { readFileSync } from 'node:fs';
import { RULES_BY_CODE } from '../core/rules/catalogue';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../core/rules/context';
import { buildGraph } from '../core/features/graph';
import { selectVariant, variantPlacer } from '../core/variants/select';
import { toDot, toMermaid } from '../core/graph/formats';
import { SEVERITIES, type Severity } from '../core/types';
import { findRulesDoc } from '../node/rulesDoc';
import { ruleSections } from '../core/rules/ruleDocs';
import { atOrAbove, formatJson, formatSarif, formatText, sortCliFindings, type CliFinding } from './format';
import { CAN_REACH_HELP, CAN_REACH_USAGE, runCanReach } from './canReach';
import { TRACE_USAGE, runTrace } from './trace';
import { UsageError, helmFlag, loadWorkspace, rel, type CliIO, type HelmFlags } from './workspace';

declare const KT_VERSION: string;
const VERSION = typeof KT_VERSION === 'string' ? KT_VERSION : '0.0.0-dev';

const USAGE = `Usage:
  kube-traffic check [PATH ...] [--format text|json|sarif] [--fail-on error|warning|information|none]
  kube-traffic graph [PATH ...] [--format json|mermaid|dot] [--variant NAME]
${CAN_REACH_USAGE}
${TRACE_USAGE}  (kube-traffic trace --help)

Options:
  --node-port-range MIN-MAX   nodePort range of the target cluster (default 30000-32767)
  --severity CODE=LEVEL       override a rule's severity (error|warning|information|hint|off); repeatable
  --max-file-size MB          skip files larger than this (default 10)
  --variant NAME              graph, trace, can-reach: a Kustomize root or Helm values variant
                              (deploy/overlays/prod, charts/web:values-prod.yaml); default the plain view
  --helm PATH                 the helm binary that renders Helm charts (default: helm on PATH)
  --no-helm                   do not render Helm charts (their templates are skipped)
  -h, --help                  show this help
  -v, --version               show the version

PATH: files or folders (default .), searched for *.yaml / *.yml, skipping node_modules and .git.
Kustomize roots and Helm charts under PATH are analysed as applied: check reports each finding at
the line it comes from with the variants it holds in ([deploy/overlays/prod, ...]).
Exit codes (check): 0 nothing at or above --fail-on (default error), 1 otherwise, 2 bad usage or unreadable input.

${CAN_REACH_HELP}`;

interface Options {
  command: 'check' | 'graph';
  paths: string[];
  format: string;
  failOn: Severity | 'none';
  settings: AnalysisSettings;
  maxBytes: number;
  helm: HelmFlags;
  variant?: string;
}

export function parseArgs(argv: readonly string[]): Options | 'help' | 'version' {
  if (argv.includes('-h') || argv.includes('--help')) return 'help';
  if (argv.includes('-v') || argv.includes('--version')) return 'version';
  const [command, ...rest] = argv;
  if (command !== 'check' && command !== 'graph') throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
  const paths: string[] = [];
  let format = command === 'check' ? 'text' : 'json';
  let failOn: Severity | 'none' = 'error';
  let nodePortRange = DEFAULT_SETTINGS.nodePortRange;
  const severity: Record<string, Severity | 'off'> = {};
  let maxBytes = 10 * 1048576;
  let variant: string | undefined;
  const helm: HelmFlags = {};
  for (let i = 0; i < rest.length; i++) {
    const took = helmFlag(rest, i, helm);
    if (took) { i += took - 1; continue; }
    const a = rest[i]!;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': {
        format = value();
        const allowed = command === 'check' ? ['text', 'json', 'sarif'] : ['json', 'mermaid', 'dot'];
        if (!allowed.includes(format)) throw new UsageError(`--format must be one of ${allowed.join(', ')} for ${command}`);
        break;
      }
      case '--fail-on': {
        const v = value();
        if (v !== 'none' && !(SEVERITIES as readonly string[]).includes(v)) throw new UsageError('--fail-on must be error, warning, information or none');
        failOn = v as Severity | 'none';
        break;
      }
      case '--node-port-range': {
        const m = /^(\d+)-(\d+)$/.exec(value());
        if (!m || Number(m[1]) > Number(m[2])) throw new UsageError('--node-port-range must look like 30000-32767');
        nodePortRange = { min: Number(m[1]), max: Number(m[2]) };
        break;
      }
      case '--severity': {
        const [code, level] = value().split('=');
        if (!code || !RULES_BY_CODE.has(code)) throw new UsageError(`--severity: unknown rule code '${code ?? ''}'`);
        if (!level || (level !== 'off' && !(SEVERITIES as readonly string[]).includes(level))) throw new UsageError('--severity: level must be error, warning, information, hint or off');
        severity[code] = level as Severity | 'off';
        break;
      }
      case '--max-file-size': {
        const mb = Number(value());
        if (!(mb > 0)) throw new UsageError('--max-file-size must be a positive number of megabytes');
        maxBytes = mb * 1048576;
        break;
      }
      case '--variant':
        if (command !== 'graph') throw new UsageError('--variant is for graph, trace and can-reach: check reports every variant');
        variant = value();
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
        paths.push(a);
    }
  }
  return { command, paths: paths.length ? paths : ['.'], format, failOn, settings: { nodePortRange, severity }, maxBytes, helm, ...(variant !== undefined ? { variant } : {}) };
}

/** Runs the CLI; returns the exit code. Never throws for bad input. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  if (argv[0] === 'can-reach' && !argv.some((a) => ['-h', '--help', '-v', '--version'].includes(a))) return runCanReach(argv.slice(1), io);
  if (argv[0] === 'trace') return runTrace(argv.slice(1), io);
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`kube-traffic: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (opts === 'help') { io.stdout(USAGE + '\n'); return 0; }
  if (opts === 'version') { io.stdout(VERSION + '\n'); return 0; }

  const loaded = await loadWorkspace(opts.paths, io, opts.maxBytes, opts.settings, opts.helm);
  if ('error' in loaded) {
    io.stderr(`kube-traffic: ${loaded.error}\n`);
    return 2;
  }
  const { workspace, skipped } = loaded;

  if (opts.command === 'graph') {
    const sel = selectVariant(workspace, opts.variant);
    if ('error' in sel) {
      io.stderr(`kube-traffic: ${sel.error}\n`);
      return 2;
    }
    const graph = buildGraph(sel.ctx, (uri) => rel(io.cwd, uri), variantPlacer(workspace, sel.name));
    const json = sel.name === undefined ? graph : { variant: sel.name, ...graph };
    io.stdout(opts.format === 'mermaid' ? toMermaid(graph) : opts.format === 'dot' ? toDot(graph) : JSON.stringify(json, null, 2) + '\n');
    return 0;
  }

  const list: CliFinding[] = [];
  for (const [uri, findings] of workspace.allFindings()) {
    for (const f of findings) {
      list.push({ file: rel(io.cwd, uri), finding: f, related: f.related.map((r) => ({ file: rel(io.cwd, r.uri), range: r.range, message: r.message })) });
    }
  }
  sortCliFindings(list);
  const fileCount = workspace.index.fileCount;
  io.stdout(opts.format === 'json' ? formatJson(list) : opts.format === 'sarif' ? formatSarif(list, VERSION, readRuleDocs()) : formatText(list, fileCount, skipped));
  const failOn = opts.failOn;
  return failOn !== 'none' && list.some((c) => atOrAbove(c.finding.severity, failOn)) ? 1 : 0;
}

/** docs/rules.md's sections, when it is shipped beside the bundle (for SARIF rule help). */
function readRuleDocs(): Map<string, string> | undefined {
  const file = findRulesDoc();
  try {
    return file ? ruleSections(readFileSync(file, 'utf8')) : undefined;
  } catch {
    return undefined; // the help text is a bonus; the findings are the output
  }
}

export function main(): void {
  runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  }).then((code) => { process.exitCode = code; }, (e: unknown) => {
    process.stderr.write(`kube-traffic: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
}
