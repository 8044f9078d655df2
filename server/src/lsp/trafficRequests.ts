import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import { canReachByName } from '../core/policy/canReach';
import { formatReach } from '../core/policy/format';
import { exampleUrlForIngressPath, exampleUrlForRouteMatch } from '../core/facts/exampleUrl';
import { formatTrace, withDisplayedFiles } from '../core/trace/format';
import { traceRequest } from '../core/trace/trace';
import { parseHeader, parseRequest } from '../core/trace/url';
import { resourceId, type Resource } from '../core/model/resources';
import {
  CanReachRequest, RenderedRequest, TraceRequest, TrafficTargetsRequest, type CanReachResponse, type RenderedResponse, type TargetItem,
  type TraceResponse, type TrafficTargets,
} from '../protocol/messages';
import type { WorkspaceService } from '../service/workspaceService';
import { selectVariant, toSourceLocations, type Selected } from '../core/variants/select';
import type { Workspace } from '../core/variants/workspace';

/** At most this many example URLs are offered by the trace command's picker. */
const MAX_URLS = 200;

/** A file system path where there is one (clickable in VS Code's output), else the URI. */
function displayPath(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}

/** The workspace folders that are on disk, as file system paths (to name files relative to them). */
export function rootPaths(folders: readonly string[]): string[] {
  return folders.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
}

/**
 * The trace and can-reach requests of the editor commands, answered from the index once the
 * workspace is indexed. Bad input (an unparsable URL, an unknown workload) is an answer with a
 * message, never an error response.
 */
export function registerTrafficRequests(connection: Connection, service: () => WorkspaceService): void {
  connection.onRequest(TraceRequest.type, async (p): Promise<TraceResponse> => {
    const sel = await cluster(service(), p?.variant);
    if ('error' in sel) return { type: 'error', message: sel.error };
    if (typeof p?.url !== 'string' || p.url.trim() === '') return { type: 'error', message: 'Give a URL, e.g. https://shop.example.com/api or web.shop:80.' };
    const headers = [];
    for (const h of Array.isArray(p.headers) ? p.headers : []) {
      const parsed = typeof h === 'string' ? parseHeader(h) : undefined;
      if (!parsed) return { type: 'error', message: `'${String(h)}' is not a header (Name: value).` };
      headers.push(parsed);
    }
    const input = parseRequest(p.url.trim(), {
      headers,
      ...(typeof p.method === 'string' && p.method ? { method: p.method } : {}),
      ...(typeof p.namespace === 'string' && p.namespace ? { namespace: p.namespace } : {}),
    });
    if ('error' in input) return { type: 'error', message: input.error };
    const result = toSourceLocations(sel.workspace, sel.name, traceRequest(sel.ctx, input));
    return { type: 'result', result, text: formatTrace(withDisplayedFiles(result, displayPath)) };
  });

  connection.onRequest(CanReachRequest.type, async (p): Promise<CanReachResponse> => {
    const sel = await cluster(service(), p?.variant);
    if ('error' in sel) return { type: 'error', message: sel.error, suggestions: [] };
    if (typeof p?.from !== 'string' || typeof p.to !== 'string') return { type: 'error', message: 'Give FROM (a workload) and TO (a Service, a workload or an IP address).', suggestions: [] };
    const found = canReachByName(sel.ctx, p.from, p.to, typeof p.port === 'string' ? p.port : undefined);
    if ('error' in found) return { type: 'error', message: found.error, suggestions: found.suggestions };
    const result = toSourceLocations(sel.workspace, sel.name, found);
    return { type: 'result', result, text: formatReach(result, displayPath) };
  });

  connection.onRequest(RenderedRequest.type, async (p): Promise<RenderedResponse> => {
    const workspace = await indexedWorkspace(service());
    await service().whenRendered();
    const variants = workspace.variantNames();
    const v = typeof p?.variant === 'string' ? workspace.variant(p.variant) : undefined;
    if (!v) return { type: 'error', message: `no variant '${String(p?.variant)}'`, variants };
    const head = `# ${v.name}, as Kube Traffic renders it (read-only)${v.render.documents ? '' : ': the render failed, see the problems in its files'}\n`;
    return { type: 'rendered', variant: v.name, text: head + (v.render.documents ?? []).map((d) => d.text.replace(/\n?$/, '\n')).join('---\n') };
  });

  connection.onRequest(TrafficTargetsRequest.type, async (p): Promise<TrafficTargets> => {
    const sel = await cluster(service(), p?.variant);
    const variants = (await indexedWorkspace(service())).variantNames();
    if ('error' in sel) return { workloads: [], services: [], urls: [], variants };
    const analyzer = sel.ctx;
    const roots = rootPaths(service().folders());
    const item = (r: Resource): TargetItem => {
      const file = sel.workspace.sourceOf(sel.name, r.uri, ZERO)?.uri ?? r.uri;
      return { id: resourceId(r), kind: r.kind, name: r.name ?? '', ...(r.namespace ? { namespace: r.namespace } : {}), file: relativeTo(roots, file) };
    };
    const unique = (list: TargetItem[]) => [...new Map(list.map((t) => [t.id, t])).values()].sort((a, b) => a.id.localeCompare(b.id));
    const urls = new Set<string>();
    for (const ing of analyzer.index.ingresses()) {
      for (const p of ing.paths) if (urls.size < MAX_URLS) urls.add(exampleUrlForIngressPath(ing, p).url);
    }
    const gateways = [...analyzer.index.gateways()];
    for (const route of analyzer.index.routes()) {
      route.rules.forEach((rule, r) => rule.matches.forEach((_m, m) => {
        const ex = urls.size < MAX_URLS ? exampleUrlForRouteMatch(route, r, m, gateways) : undefined;
        if (ex) urls.add(ex.url);
      }));
    }
    return {
      workloads: unique([...analyzer.index.workloads()].filter((w) => w.name).map(item)),
      services: unique([...analyzer.index.services()].filter((s) => s.name).map(item)),
      urls: [...urls].sort(),
      variants,
    };
  });
}

const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The workspace once it is indexed. */
async function indexedWorkspace(service: WorkspaceService): Promise<Workspace> {
  await service.whenIndexed();
  return service.workspace;
}

/** The cluster a request names (a variant, or the plain view) once the workspace is indexed. */
export async function cluster(service: WorkspaceService, variant: unknown): Promise<(Selected & { workspace: Workspace }) | { error: string }> {
  const workspace = await indexedWorkspace(service);
  const sel = selectVariant(workspace, typeof variant === 'string' ? variant : undefined);
  return 'error' in sel ? sel : { ...sel, workspace };
}

function relativeTo(roots: readonly string[], uri: string): string {
  const file = displayPath(uri);
  for (const dir of roots) {
    if (file.startsWith(dir + path.sep)) return path.relative(dir, file).split(path.sep).join('/');
  }
  return path.basename(file);
}
