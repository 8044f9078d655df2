import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Analyzer } from '../core/analyzer';
import { canReach, parsePort, resolveObject } from '../core/policy/canReach';
import type { ObjectRef, ReachResult, SideResult } from '../core/policy/reachTypes';
import type { Workload } from '../core/model/resources';
import { FileSystemHost, findManifests } from '../node/fileSystemHost';
import type { CliIO } from './cli';

export const CAN_REACH_USAGE = `  kube-traffic can-reach FROM TO [PATH ...] [--port P[/PROTOCOL]] [--format text|json]`;
export const CAN_REACH_HELP = `can-reach: may FROM open a connection to TO under the NetworkPolicies of PATH?
  FROM: a workload, Kind/name or Kind/namespace/name (Deployment/shop/frontend, deploy/web).
  TO:   a Service, a workload, or an IP address (then only FROM's egress policies apply).
  --port: a Service port (number or name) for a Service, a container port for a workload; default every port.
Exit codes (can-reach): 0 allowed, 1 denied, 3 unknown (the manifests do not say), 2 bad usage or FROM/TO/port not found.`;

const VERDICT_EXIT = { allowed: 0, denied: 1, unknown: 3 } as const;

function rel(cwd: string, uri: string): string {
  const p = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  return path.relative(cwd, p).split(path.sep).join('/') || path.basename(p);
}

/** `kube-traffic can-reach`: returns the exit code; bad input is one line on stderr. */
export async function runCanReach(argv: readonly string[], io: CliIO): Promise<number> {
  const fail = (msg: string) => { io.stderr(`kube-traffic can-reach: ${msg}\n`); return 2; };
  const positional: string[] = [];
  let format = 'text';
  let portText: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : argv[++i]);
    if (flag === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json') return fail('--format must be text or json');
      format = v;
    } else if (flag === '--port') {
      portText = value();
      if (portText === undefined) return fail('--port needs a value');
    } else if (a.startsWith('-') && a !== '-') return fail(`unknown option '${a}'`);
    else positional.push(a);
  }
  if (positional.length < 2) return fail('needs FROM and TO (e.g. can-reach Deployment/shop/frontend Service/shop/cart)');
  const [fromText, toText, ...paths] = positional as [string, string, ...string[]];
  const port = portText === undefined ? undefined : parsePort(portText);
  if (portText !== undefined && !port) return fail(`--port '${portText}' is not a port number (1-65535), a port name, or P/TCP|UDP|SCTP`);

  const roots = (paths.length ? paths : ['.']).map((p) => path.resolve(io.cwd, p));
  const walk = await findManifests(roots);
  const missingRoot = walk.problems.find((p) => roots.includes(p.path));
  if (missingRoot) return fail(`cannot read ${rel(io.cwd, missingRoot.path)}: ${missingRoot.reason}`);
  const analyzer = new Analyzer();
  await analyzer.indexWorkspace(new FileSystemHost(walk.files, 10 * 1048576));

  const from = resolveObject(analyzer.index, fromText, false);
  if ('error' in from) return fail(`FROM: ${from.error}${from.suggestions.length ? ` (did you mean ${from.suggestions.join(', ')}?)` : ''}`);
  let to: ReturnType<typeof resolveObject> | { ip: string };
  if (/^[0-9.]+$|:/.test(toText) && !toText.includes('/')) to = { ip: toText };
  else to = resolveObject(analyzer.index, toText, true);
  if ('error' in to) return fail(`TO: ${to.error}${to.suggestions.length ? ` (did you mean ${to.suggestions.join(', ')}?)` : ''}`);
  const result = canReach(analyzer, from as Workload, to, port);
  if ('error' in result) return fail(`${result.error}${result.suggestions.length ? ` (ports: ${result.suggestions.join(', ')})` : ''}`);
  io.stdout(format === 'json' ? JSON.stringify(relativise(result, io.cwd), null, 2) + '\n' : formatReach(result, io.cwd));
  return VERDICT_EXIT[result.verdict];
}

/** JSON output names files relative to the working directory, like `check`. */
function relativise(result: ReachResult, cwd: string): unknown {
  return JSON.parse(JSON.stringify(result, (key, value: unknown) => (key === 'uri' && typeof value === 'string' ? rel(cwd, value) : value)));
}

function name(r: ObjectRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

function at(r: { uri: string; range?: { start: { line: number } } }, cwd: string): string {
  return `${rel(cwd, r.uri)}:${(r.range?.start.line ?? 0) + 1}`;
}

function side(s: SideResult, cwd: string): string[] {
  const label = s.direction === 'egress' ? 'egress ' : 'ingress';
  const out = [`    ${label} ${s.verdict}: ${s.reason}`];
  for (const a of s.allowedBy) out.push(`      allowed by NetworkPolicy ${a.policy.namespace ? `${a.policy.namespace}/` : ''}${a.policy.name} ${a.direction}[${a.rule}] (${at({ uri: a.policy.uri, ...(a.range ? { range: a.range } : {}) }, cwd)})`);
  if (s.verdict !== 'allowed') for (const p of s.isolatedBy) out.push(`      isolated by NetworkPolicy ${p.namespace ? `${p.namespace}/` : ''}${p.name} (${at(p, cwd)})`);
  return out;
}

export function formatReach(r: ReachResult, cwd: string): string {
  const to = 'ip' in r.to ? r.to.ip : name(r.to);
  const lines = [`${r.verdict}: ${name(r.from)} → ${to}${r.port !== undefined ? ` port ${r.port}` : ''}`];
  if (r.targets.length === 0) {
    if (r.egress) lines.push(...side(r.egress, cwd));
    else lines.push(`  ${r.reason}`);
  }
  for (const t of r.targets) {
    const via = t.via ? ` (${String(t.via.servicePort)} → ${String(t.via.targetPort)}${t.via.containerPort !== undefined ? ` → ${t.via.container ?? '?'}:${t.via.containerPort}` : ''}${t.port ? `/${t.port.protocol}` : ''})`
      : t.port ? ` (port ${t.port.number ?? t.port.name}/${t.port.protocol})` : ' (any port)';
    lines.push(`  → ${name(t.workload)}${via}: ${t.verdict}`);
    lines.push(...side(t.egress, cwd), ...side(t.ingress, cwd));
  }
  return lines.join('\n') + '\n';
}
