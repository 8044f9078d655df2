import type { Ingress, IngressBackend, IngressPath } from '../model/resources';
import { sortByLocation } from '../resolve/resolver';
import { step, type TraceContext } from './context';
import { ingressHostMatch, prefixMatches, type HostMatch } from '../facts/match';
import { traceService } from './serviceTrace';
import type { TraceStep } from './types';

/** One path of one Ingress, with the host match that put it in the running. */
interface Candidate {
  readonly ingress: Ingress;
  readonly path: IngressPath;
  readonly value: string;
  /** Exact, Prefix, or ImplementationSpecific (matched as Prefix). */
  readonly pathType: string;
}

export interface IngressEntries {
  readonly entries: TraceStep[];
  /** Why no Ingress took the request, when there are Ingresses at all. */
  readonly miss?: string;
}

const HOST_RANK: Record<HostMatch, number> = { exact: 0, wildcard: 1, any: 2 };

/**
 * Ingress routing as controllers do it: the Ingresses of one class are merged; the host picks the
 * rules (exact host, else the one-label wildcard, else rules without host); among their paths the
 * longest match wins, Exact before Prefix at equal length; nothing matching → defaultBackend.
 * Each class is a separate controller with its own address: each claiming class is an entry.
 */
export function traceIngresses(ctx: TraceContext): IngressEntries {
  const all = sortByLocation([...ctx.index.ingresses()]);
  if (all.length === 0) return { entries: [] };
  const { port, host } = ctx.request;
  if (port !== 80 && port !== 443) {
    return { entries: [], miss: `Ingress controllers listen on ports 80 and 443, not ${port}` };
  }
  const byClass = new Map<string, Ingress[]>();
  for (const ing of all) {
    const cls = ing.ingressClassName ?? '';
    byClass.set(cls, [...(byClass.get(cls) ?? []), ing]);
  }
  const entries: TraceStep[] = [];
  for (const [cls, group] of byClass) {
    const entry = traceClass(ctx, cls, group);
    if (entry) entries.push(entry);
  }
  if (entries.length > 0) return { entries };
  const hosts = [...new Set(all.flatMap((i) => i.hosts))];
  return { entries, miss: `no Ingress rule accepts host ${host} (Ingress hosts: ${hosts.join(', ') || 'none'}) and no Ingress has a defaultBackend` };
}

function traceClass(ctx: TraceContext, cls: string, group: Ingress[]): TraceStep | undefined {
  const { host, path } = ctx.request;
  const className = cls ? `class ${cls}` : 'the default class';
  // The host picks one set of rules, merged across the class's Ingresses.
  let best: HostMatch | undefined;
  const byHost: { ingress: Ingress; path: IngressPath; match: HostMatch }[] = [];
  for (const ingress of group) {
    for (const p of ingress.paths) {
      const m = ingressHostMatch(p.host, host);
      if (!m) continue;
      byHost.push({ ingress, path: p, match: m });
      if (best === undefined || HOST_RANK[m] < HOST_RANK[best]) best = m;
    }
  }
  const rules = byHost.filter((c) => c.match === best);
  const ruleHost = rules[0]?.path.host;
  const hostText = best === undefined ? '' : best === 'any' ? `no rule names host ${host}; rules without host take every host`
    : `host ${host} matches rule host ${ruleHost} (${best === 'exact' ? 'exact' : 'wildcard, one DNS label'})`;
  const ingressesOfHost = [...new Set(rules.map((r) => r.ingress))];
  if (ingressesOfHost.length > 1) {
    ctx.note(`Ingresses ${ingressesOfHost.map((i) => i.name).join(', ')} (${className}) define rules for ${best === 'any' ? 'every host' : ruleHost}; the controller merges them.`);
  }
  tlsNotes(ctx, group, ingressesOfHost);

  const candidates: Candidate[] = rules.map(({ ingress, path: p }) => {
    const type = typeof p.pathType?.value === 'string' ? p.pathType.value : 'ImplementationSpecific';
    return { ingress, path: p, value: typeof p.path?.value === 'string' && p.path.value !== '' ? p.path.value : '/', pathType: type };
  });
  const matching = candidates.filter((c) => (c.pathType === 'Exact' ? c.value === path : prefixMatches(c.value, path)));
  // Longest path first; Exact before Prefix at equal length.
  matching.sort((a, b) => b.value.length - a.value.length || (a.pathType === 'Exact' ? 0 : 1) - (b.pathType === 'Exact' ? 0 : 1));
  const winner = matching[0];
  if (winner) {
    const others = matching.slice(1).map((c) => `${c.value} ${c.pathType}`);
    const typeText = winner.pathType === 'ImplementationSpecific' ? 'ImplementationSpecific, matched as Prefix (the controller decides)' : winner.pathType;
    const why = `${hostText}; path ${winner.value} (${typeText})${others.length ? `, longest match (${winner.value.length} chars) beats ${others.join(', ')}` : ' matches'}`;
    conflictNote(ctx, winner, matching);
    return backendStep(ctx, winner.ingress, winner.path.backend, why, winner.path.span, `path ${winner.value}`);
  }

  // Nothing matched: the default backend of the host's Ingresses, else of any Ingress of the class.
  const defaults = [...ingressesOfHost, ...group.filter((i) => !ingressesOfHost.includes(i))]
    .flatMap((ingress) => ingress.backends.filter((b) => b.isDefault).map((b) => ({ ingress, b })));
  if (defaults.length > 1) ctx.note(`Several Ingresses of ${className} set a defaultBackend (${defaults.map((d) => d.ingress.name).join(', ')}); which one the controller uses is not determined by the manifests.`);
  const def = defaults[0];
  if (def) {
    const why = `${hostText ? `${hostText}; ` : `no rule accepts host ${host}; `}${candidates.length ? `no path matches ${path}` : 'no paths'}, so the defaultBackend serves it`;
    return backendStep(ctx, def.ingress, def.b, why, def.b.span, 'defaultBackend');
  }
  if (best === undefined) return undefined; // this class does not claim the host
  const first = rules[0]!.ingress;
  const tried = candidates.map((c) => `${c.value} ${c.pathType}`).join(', ');
  return step(ctx.hop('Ingress', first, hostText, rules[0]!.path.span), [], ctx.stop('no-rule-matches',
    `no path of host ${best === 'any' ? '*' : ruleHost} matches ${path} (tried ${tried}) and there is no defaultBackend (ingress-nginx would return 404)`, first));
}

function backendStep(ctx: TraceContext, ingress: Ingress, backend: IngressBackend | undefined, why: string, at: { start: number; end: number }, what: string): TraceStep {
  const hop = ctx.hop('Ingress', ingress, why, at);
  const name = backend?.serviceName?.value;
  if (!backend || !name) {
    return step(hop, [], ctx.stop('backend-not-service', `the backend of ${what} is not a Service (a resource backend is not traced)`, ingress, at));
  }
  const n = backend.port?.number?.value;
  const p = backend.port?.name?.value;
  const port = typeof n === 'number' ? { number: n } : typeof p === 'string' ? { name: p } : undefined;
  if (!port) return step(hop, [], ctx.stop('service-port-missing', `the backend of ${what} names no port of Service ${name}`, ingress, backend.span));
  return step(hop, traceService(ctx, { name, namespace: ingress.namespace, port, viaProxy: true, ref: { resource: ingress, span: backend.serviceName?.span } },
    `backend of ${what} names Service ${name} port ${port.number ?? port.name}`));
}

/** Two Ingresses with the same host, path and pathType but different backends: the controller picks one. */
function conflictNote(ctx: TraceContext, winner: Candidate, matching: Candidate[]): void {
  const same = matching.filter((c) => c.value === winner.value && c.pathType === winner.pathType && c.ingress !== winner.ingress);
  const target = (c: Candidate) => `${c.path.backend?.serviceName?.value ?? '?'}:${String(c.path.backend?.port?.number?.value ?? c.path.backend?.port?.name?.value ?? '?')}`;
  const differing = same.filter((c) => target(c) !== target(winner));
  if (differing.length === 0) return;
  ctx.note(`Conflict: Ingresses ${[winner, ...differing].map((c) => `${c.ingress.name} (→ ${target(c)})`).join(' and ')} both define path ${winner.value} ${winner.pathType} for this host; the controller keeps the oldest Ingress, which the manifests do not tell (traced: ${winner.ingress.name}, first by file).`);
}

function tlsNotes(ctx: TraceContext, group: Ingress[], ofHost: Ingress[]): void {
  const { host, scheme } = ctx.request;
  const tls = group.some((i) => i.tlsHosts.some((h) => ingressHostMatch(h, host) === 'exact' || ingressHostMatch(h, host) === 'wildcard'));
  if (scheme === 'https' && !tls && ofHost.length > 0) ctx.note(`No Ingress lists ${host} under tls: the controller answers HTTPS with its default certificate, which clients reject.`);
  if (scheme === 'http' && tls) ctx.note(`${host} has TLS configured: ingress-nginx redirects plain HTTP to HTTPS (308) by default.`);
}
