import type { TraceHeader, TraceRequest, TraceScheme } from './types';

/** A request as the user wrote it, before the workspace tells whether its host is in the cluster. */
export type RequestInput = Omit<TraceRequest, 'inCluster'>;

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: readonly TraceHeader[];
  readonly namespace?: string;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const SCHEMES: readonly TraceScheme[] = ['http', 'https', 'tls', 'tcp', 'udp'];
const DEFAULT_PORTS: Partial<Record<TraceScheme, number>> = { http: 80, https: 443, tls: 443 };

/** The default port of a scheme (http 80, https and tls 443; tcp and udp have none). */
export function defaultPort(scheme: TraceScheme): number | undefined {
  return DEFAULT_PORTS[scheme];
}

/** `http://host/path?q`, the default port left out: the URL a trace's request stands for. */
export function requestUrl(r: Pick<TraceRequest, 'scheme' | 'host' | 'port' | 'path' | 'query'>): string {
  const port = r.port === DEFAULT_PORTS[r.scheme] ? '' : `:${r.port}`;
  const l4 = r.scheme === 'tcp' || r.scheme === 'udp' || r.scheme === 'tls';
  const q = r.query.length ? `?${r.query.map((x) => `${encodeURIComponent(x.name)}=${encodeURIComponent(x.value)}`).join('&')}` : '';
  return `${r.scheme}://${r.host}${port}${l4 ? '' : `${r.path}${q}`}`;
}
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Parses a URL as a client would send it: `https://shop.example.com/api`, `http://web.shop:8080/`,
 * or without a scheme (`web.shop:80`, `web`), which means http; `tls://db.example.com:443` (a TLS
 * connection routed by SNI), `tcp://gateway:5432`, `udp://gateway:53`. Returns a message for bad input.
 */
export function parseRequest(text: string, options: RequestOptions = {}): RequestInput | { error: string } {
  const raw = text.trim();
  if (raw === '') return { error: 'the URL is empty' };
  const scheme = SCHEME.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== undefined && !SCHEMES.includes(scheme as TraceScheme)) {
    return { error: `unsupported scheme '${scheme}' in '${raw}' (use http, https, tls, tcp or udp)` };
  }
  let url: URL;
  try {
    url = new URL(scheme ? raw : `http://${raw}`);
  } catch {
    return { error: `cannot parse '${raw}' as a URL` };
  }
  if (url.hostname === '') return { error: `'${raw}' has no host` };
  if (url.username || url.password) return { error: `'${raw}' carries credentials; leave them out` };
  const method = (options.method ?? 'GET').toUpperCase();
  if (!TOKEN.test(method)) return { error: `'${options.method}' is not an HTTP method` };
  const headers = options.headers ?? [];
  const bad = headers.find((h) => !TOKEN.test(h.name));
  if (bad) return { error: `'${bad.name}' is not a header name` };
  // A Host header decides virtual hosting, as with `curl -H 'Host: …'`.
  const hostHeader = headers.find((h) => h.name.toLowerCase() === 'host')?.value.trim().toLowerCase();
  const hostname = (hostHeader ? hostHeader.replace(/:\d+$/, '') : url.hostname).toLowerCase().replace(/\.$/, '');
  if (!/^([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$|^\[[0-9a-f:.]+\]$/.test(hostname)) {
    return { error: `'${hostname}' is not a valid host name` };
  }
  const s = (scheme ?? 'http') as TraceScheme;
  const defaultPort = DEFAULT_PORTS[s];
  if (!url.port && defaultPort === undefined) return { error: `'${raw}' needs a port (${s} has no default port)` };
  return {
    url: raw, scheme: s, host: hostname,
    port: url.port ? Number(url.port) : defaultPort!,
    path: url.pathname || '/',
    query: [...url.searchParams].map(([name, value]) => ({ name, value })),
    method, headers,
    ...(options.namespace ? { namespace: options.namespace } : {}),
  };
}

/** `K=V` or `K: V` as given to `--header`. */
export function parseHeader(text: string): TraceHeader | undefined {
  const m = /^([^=:\s]+)\s*(?:=|:)\s*(.*)$/.exec(text);
  return m ? { name: m[1]!, value: m[2]! } : undefined;
}

/** Where cluster DNS sends a host name, read from its shape alone. */
export type ClusterName =
  | { readonly form: 'service'; readonly service: string; readonly namespace: string | undefined; readonly explicit: boolean }
  | { readonly form: 'pod'; readonly pod: string; readonly service: string; readonly namespace: string };

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * `web` (from the caller's namespace), `web.shop`, `web.shop.svc`, `web.shop.svc.cluster.local`,
 * and headless pod names `web-0.web.shop.svc[.cluster.local]`. `web.shop` may also be a public
 * name: the caller checks that such a Service exists.
 */
export function clusterName(host: string, namespace: string | undefined): ClusterName | undefined {
  let labels = host.split('.');
  if (!labels.every((l) => LABEL.test(l))) return undefined;
  if (/^\d+$/.test(labels[labels.length - 1]!)) return undefined; // an IPv4 address
  if (labels.length >= 3 && labels.slice(-2).join('.') === 'cluster.local') labels = labels.slice(0, -2);
  const svcSuffix = labels[labels.length - 1] === 'svc';
  if (svcSuffix) labels = labels.slice(0, -1);
  if (labels.length === 1 && !svcSuffix) {
    if (host === 'localhost') return undefined;
    return { form: 'service', service: labels[0]!, namespace, explicit: false };
  }
  if (labels.length === 2) return { form: 'service', service: labels[0]!, namespace: labels[1]!, explicit: true };
  if (labels.length === 3 && svcSuffix) return { form: 'pod', pod: labels[0]!, service: labels[1]!, namespace: labels[2]! };
  return undefined;
}
