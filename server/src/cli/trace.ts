import { lastFollowed, traceFollowing } from '../core/trace/follow';
import { traceRequest } from '../core/trace/trace';
import type { TraceHeader } from '../core/trace/types';
import { formatTrace, withDisplayedFiles } from '../core/trace/format';
import { parseHeader, parseRequest } from '../core/trace/url';
import { selectVariant, toSourceLocations } from '../core/variants/select';
import { UsageError, helmFlag, loadWorkspace, rel, type CliIO, type HelmFlags } from './workspace';

export const TRACE_USAGE = `  kube-traffic trace URL [PATH ...] [--format text|json] [-n NAMESPACE] [--method GET] [--header K=V ...] [--variant NAME] [--follow] [--helm PATH | --no-helm]`;

export const TRACE_HELP = `Usage:
${TRACE_USAGE}

Follows a request through the manifests and prints each hop with the rule that decided it.
URL: as a client sends it, from outside (https://shop.example.com/api) or inside the cluster
(http://web.shop.svc.cluster.local:8080/, web.shop:80, web:80 with -n for the caller's namespace).
A TLS connection routed by SNI: tls://db.example.com:443; a TCP or UDP connection to a Gateway
(its name or address) or a Service: tcp://gateway:5432, udp://dns.infra:53.

Options:
  -n, --namespace NS     the client's namespace: short Service names (web) resolve there, and the
                         mesh's consumer routes of that namespace apply (default: any)
  -X, --method METHOD    request method (default GET)
  -H, --header K=V       request header (also K:V); repeatable. A Host header overrides the URL's host.
  --follow               when the answer is a redirect, trace its Location too (at most 5)
  --format text|json     output (default text); json is the typed trace result
  --variant NAME         the Kustomize root or Helm values variant to trace in (default: the plain view)
  --max-file-size MB     skip files larger than this (default 10)

Every stop has a status: 404 (nothing routes it), 500 (it fails behind the entry point),
redirect (with the Location and code), unknown (the manifests do not decide, with why).

Exit codes: 0 the request reaches a pod, endpoint or external host, or is answered with a redirect
(with --follow: where the redirects lead); 1 it goes nowhere; 2 bad usage.`;

interface TraceOptions {
  url: string;
  paths: string[];
  format: 'text' | 'json';
  namespace?: string;
  method?: string;
  headers: TraceHeader[];
  maxBytes: number;
  follow: boolean;
  variant?: string;
  helm: HelmFlags;
}

export function parseTraceArgs(args: readonly string[]): TraceOptions | 'help' {
  if (args.includes('-h') || args.includes('--help')) return 'help';
  const positional: string[] = [];
  const opts: Omit<TraceOptions, 'url' | 'paths'> = { format: 'text', headers: [], maxBytes: 10 * 1048576, follow: false, helm: {} };
  for (let i = 0; i < args.length; i++) {
    const took = helmFlag(args, i, opts.helm);
    if (took) { i += took - 1; continue; }
    const a = args[i]!;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--follow': case '-L': opts.follow = true; break;
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json') throw new UsageError('--format must be text or json for trace');
        opts.format = f;
        break;
      }
      case '-n': case '--namespace': opts.namespace = value(); break;
      case '--variant': opts.variant = value(); break;
      case '-X': case '--method': opts.method = value(); break;
      case '-H': case '--header': {
        const text = value();
        const h = parseHeader(text);
        if (!h) throw new UsageError(`--header must look like Name=value, not '${text}'`);
        opts.headers.push(h);
        break;
      }
      case '--max-file-size': {
        const mb = Number(value());
        if (!(mb > 0)) throw new UsageError('--max-file-size must be a positive number of megabytes');
        opts.maxBytes = mb * 1048576;
        break;
      }
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
        positional.push(a);
    }
  }
  const [url, ...paths] = positional;
  if (url === undefined) throw new UsageError('trace needs a URL');
  return { ...opts, url, paths: paths.length ? paths : ['.'] };
}

/** `kube-traffic trace`: returns the exit code; bad usage is one line on stderr. */
export async function runTrace(args: readonly string[], io: CliIO): Promise<number> {
  let opts: TraceOptions | 'help';
  try {
    opts = parseTraceArgs(args);
  } catch (e) {
    if (e instanceof UsageError) { io.stderr(`kube-traffic: ${e.message}\n`); return 2; }
    throw e;
  }
  if (opts === 'help') { io.stdout(TRACE_HELP + '\n'); return 0; }
  const input = parseRequest(opts.url, { ...(opts.method ? { method: opts.method } : {}), headers: opts.headers, ...(opts.namespace ? { namespace: opts.namespace } : {}) });
  if ('error' in input) { io.stderr(`kube-traffic: ${input.error}\n`); return 2; }

  const loaded = await loadWorkspace(opts.paths, io, opts.maxBytes, undefined, opts.helm);
  if ('error' in loaded) { io.stderr(`kube-traffic: ${loaded.error}\n`); return 2; }
  const sel = selectVariant(loaded.workspace, opts.variant);
  if ('error' in sel) { io.stderr(`kube-traffic: ${sel.error}\n`); return 2; }
  const result = toSourceLocations(loaded.workspace, sel.name, opts.follow ? traceFollowing(sel.ctx, input) : traceRequest(sel.ctx, input));
  const shown = withDisplayedFiles(result, (uri) => rel(io.cwd, uri));
  io.stdout(opts.format === 'json' ? JSON.stringify(shown, null, 2) + '\n' : formatTrace(shown));
  const last = lastFollowed(result);
  return last.outcome === 'reached' || last.status === 'redirect' ? 0 : 1;
}

