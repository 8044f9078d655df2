import { canReachByName, parsePort } from '../core/policy/canReach';
import type { ReachResult } from '../core/policy/reachTypes';
import { formatReach } from '../core/policy/format';
import { selectVariant, toSourceLocations } from '../core/variants/select';
import { helmFlag, loadWorkspace, rel, type CliIO, type HelmFlags } from './workspace';

export const CAN_REACH_USAGE = `  kube-traffic can-reach FROM TO [PATH ...] [--port P[/PROTOCOL]] [--format text|json] [--variant NAME] [--helm PATH | --no-helm]`;
export const CAN_REACH_HELP = `can-reach: may FROM open a connection to TO under the NetworkPolicies of PATH?
  FROM: a workload, Kind/name or Kind/namespace/name (Deployment/shop/frontend, deploy/web).
  TO:   a Service, a workload, or an IP address (then only FROM's egress policies apply).
  --port: a Service port (number or name) for a Service, a container port for a workload; default every port.
Exit codes (can-reach): 0 allowed, 1 denied, 3 unknown (the manifests do not say), 2 bad usage or FROM/TO/port not found.`;

const VERDICT_EXIT = { allowed: 0, denied: 1, unknown: 3 } as const;

/** `kube-traffic can-reach`: returns the exit code; bad input is one line on stderr. */
export async function runCanReach(argv: readonly string[], io: CliIO): Promise<number> {
  const fail = (msg: string) => { io.stderr(`kube-traffic can-reach: ${msg}\n`); return 2; };
  const positional: string[] = [];
  let format = 'text';
  let portText: string | undefined;
  let variant: string | undefined;
  const helm: HelmFlags = {};
  for (let i = 0; i < argv.length; i++) {
    let took: number;
    try { took = helmFlag(argv, i, helm); } catch (e) { return fail(e instanceof Error ? e.message : String(e)); }
    if (took) { i += took - 1; continue; }
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : argv[++i]);
    if (flag === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json') return fail('--format must be text or json');
      format = v;
    } else if (flag === '--variant') {
      variant = value();
      if (variant === undefined) return fail('--variant needs a value');
    } else if (flag === '--port') {
      portText = value();
      if (portText === undefined) return fail('--port needs a value');
    } else if (a.startsWith('-') && a !== '-') return fail(`unknown option '${a}'`);
    else positional.push(a);
  }
  if (positional.length < 2) return fail('needs FROM and TO (e.g. can-reach Deployment/shop/frontend Service/shop/cart)');
  const [fromText, toText, ...paths] = positional as [string, string, ...string[]];
  if (portText !== undefined && !parsePort(portText)) return fail(`--port '${portText}' is not a port number (1-65535), a port name, or P/TCP|UDP|SCTP`);

  const loaded = await loadWorkspace(paths.length ? paths : ['.'], io, 10 * 1048576, undefined, helm);
  if ('error' in loaded) return fail(loaded.error);
  const sel = selectVariant(loaded.workspace, variant);
  if ('error' in sel) return fail(sel.error);
  const result = toSourceLocations(loaded.workspace, sel.name, canReachByName(sel.ctx, fromText, toText, portText));
  if ('error' in result) {
    const list = result.suggestions.join(', ');
    const hint = !list ? '' : /^(FROM|TO):/.test(result.error) ? ` (did you mean ${list}?)` : ` (ports: ${list})`;
    return fail(`${result.error}${hint}`);
  }
  io.stdout(format === 'json' ? JSON.stringify(relativise(result, io.cwd), null, 2) + '\n' : formatReach(result, (uri) => rel(io.cwd, uri)));
  return VERDICT_EXIT[result.verdict];
}

/** JSON output names files relative to the working directory, like `check`. */
function relativise(result: ReachResult, cwd: string): unknown {
  return JSON.parse(JSON.stringify(result, (key, value: unknown) => (key === 'uri' && typeof value === 'string' ? rel(cwd, value) : value)));
}

