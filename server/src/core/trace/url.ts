import type { TraceHeader, TraceRequest } from './types';

/** A request as the user wrote it, before the workspace tells whether its host is in the cluster. */
export type RequestInput = Omit<TraceRequest, 'inCluster'>;

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: readonly TraceHeader[];
  readonly namespace?: string;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Parses a URL as a client would send it: `https://shop.example.com/api`, `http://web.shop:8080/`,
 * or without a scheme (`web.shop:80`, `web`), which means http. Returns a message for bad input.
 */
export function parseRequest(text: string, options: RequestOptions = {}): RequestInput | { error: string } {
  const raw = text.trim();
  if (raw === '') return { error: 'the URL is empty' };
  const scheme = SCHEME.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    return { error: `unsupported scheme '${scheme}' in '${raw}' (use http or https)` };
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
  const hostname = (hostHeader ? hostHeader.replace(/:\d+$/, '') : url.hostname).replace(/\.$/, '');
  if (!/^([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$|^\[[0-9a-f:.]+\]$/.test(hostname)) {
    return { error: `'${hostname}' is not a valid host name` };
  }
  const s = (scheme ?? 'http') as 'http' | 'https';
  return {
    url: raw, scheme: s, host: hostname,
    port: url.port ? Number(url.port) : s === 'https' ? 443 : 80,
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
