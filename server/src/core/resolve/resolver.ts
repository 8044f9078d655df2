import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { Tracked } from '../index/tracking';
import {
  namespacesCompatible, type Container, type ContainerPort, type Gateway, type LabelEntry, type Resource,
  type Service, type ServicePort, type Workload,
} from '../model/resources';
import { folderDistance } from '../paths';
import { isControllerLabel, podHasLabel, selectsWorkload } from './labels';

/** Where one Service port lands in one selected workload. */
export interface PortLanding {
  readonly workload: Workload;
  /** The container port it resolves to, or undefined when the workload does not declare it. */
  readonly container?: Container;
  readonly containerPort?: ContainerPort;
  /** The numeric port traffic is sent to on the pod, when known. */
  readonly podPort?: number;
}

/** At most this many pod templates are scored for one nearest miss. */
const NEAREST_MISS_SCAN = 2000;

export interface NearestMiss {
  readonly workload: Workload;
  /** The selector entry that failed. */
  readonly wanted: LabelEntry;
  /** What the pod template has instead (same key other value, or same value other key). */
  readonly has: LabelEntry;
  readonly otherNamespace: boolean;
}

/**
 * Answers the traffic questions of the rules and editor features: which pod templates a selector
 * matches, where a targetPort lands, which Service and port a backend reaches. Results are cached
 * per index generation, so a burst of rule and hover queries after an edit costs one computation.
 */
export class Resolver {
  private cacheGen = -1;
  private readonly selectCache = new Map<Service, Tracked<readonly Workload[]>>();

  constructor(readonly index: WorkspaceIndex) {}

  private checkCache(): void {
    if (this.cacheGen !== this.index.generation) {
      this.selectCache.clear();
      this.cacheGen = this.index.generation;
    }
  }

  /** Pod templates a Service selects (empty for no selector, ExternalName, or nothing matching). */
  selectedWorkloads(svc: Service): readonly Workload[] {
    if (!svc.selector || svc.serviceType === 'ExternalName') return [];
    this.checkCache();
    const selector = svc.selector;
    return this.index.tracker.memo(this.selectCache, svc, () => this.workloadsMatching(selector, svc.namespace));
  }

  workloadsMatching(selector: readonly LabelEntry[], namespace: string | undefined): Workload[] {
    // Start from the smallest candidate set: the workloads carrying one ordinary label of the selector.
    const plain = selector.filter((s) => !isControllerLabel(s.key));
    let candidates: Iterable<Workload>;
    if (plain.length > 0) {
      let best: (Iterable<Workload> & { readonly size: number }) | undefined;
      for (const s of plain) {
        const set = this.index.workloadsWithLabel(s.key, s.value, namespace);
        if (!best || set.size < best.size) best = set;
        if (set.size === 0) break;
      }
      candidates = best ?? [];
    } else {
      candidates = this.index.workloads();
    }
    const out: Workload[] = [];
    for (const w of candidates) {
      if (namespacesCompatible(namespace, w.namespace) && selectsWorkload(selector, w)) out.push(w);
    }
    return sortByLocation(out);
  }

  /** Services whose selector matches this workload's pods. */
  servicesSelecting(w: Workload): Service[] {
    // Candidates: Services with one of the pod's labels in their selector (or only controller labels).
    const candidates = new Set<Service>(this.index.servicesSelectingOnControllerLabelsOnly());
    for (const l of w.podLabels) for (const s of this.index.servicesWithSelectorEntry(l.key, l.value, w.namespace)) candidates.add(s);
    const out: Service[] = [];
    for (const s of candidates) {
      if (s.selector && s.serviceType !== 'ExternalName' && namespacesCompatible(s.namespace, w.namespace)
        && selectsWorkload(s.selector, w)) out.push(s);
    }
    return sortByLocation(out);
  }

  /** The closest pod template to a selector that matches nothing, for the message and a quick fix. */
  nearestMiss(svc: Service): NearestMiss | undefined {
    const selector = svc.selector;
    if (!selector) return undefined;
    let best: Ranked | undefined;
    const consider = (cand: Ranked): void => { if (!best || ranksBefore(cand, best)) best = cand; };
    // Only workloads sharing a selector key or value can be a near miss.
    // The Service's own scope first; other namespaces only when nothing there is close.
    const local = new Set<Workload>();
    for (const s of selector) {
      for (const w of this.index.workloadsWithLabelKey(s.key, svc.namespace)) local.add(w);
      for (const w of this.index.workloadsWithLabelValue(s.value, svc.namespace)) local.add(w);
    }
    const ordered: Workload[] = local.size > 0 || svc.namespace === undefined
      ? [...local].slice(0, NEAREST_MISS_SCAN) : this.otherNamespaceCandidates(selector);
    // A full match in another namespace is the most telling miss: always consider those (few).
    const first = selector.find((e) => !isControllerLabel(e.key));
    if (first && svc.namespace !== undefined) {
      let n = 0;
      for (const w of this.index.workloadsWithLabel(first.key, first.value)) {
        if (!local.has(w)) ordered.push(w);
        if (++n >= NEAREST_MISS_SCAN) break;
      }
    }
    for (const w of ordered) {
      const otherNamespace = !namespacesCompatible(svc.namespace, w.namespace);
      let matched = 0;
      let failed: LabelEntry | undefined;
      for (const s of selector) {
        if (podHasLabel(w, s.key, s.value)) matched++;
        else if (!failed) failed = s;
      }
      const distance = folderDistance(svc.uri, w.uri);
      if (!failed) {
        // A full match in another namespace is the nearest miss there is.
        if (otherNamespace) consider({ workload: w, wanted: selector[0]!, has: selector[0]!, otherNamespace, fullMatch: true, similar: true, distance, score: 1000 });
        continue;
      }
      if (matched < selector.length - 1) continue; // only one entry may be off
      // Same key with another value, or the same value under another key (rules.md); closer wins.
      const has = w.podLabels.find((l) => l.key === failed!.key) ?? w.podLabels.find((l) => l.value === failed!.value && l.value !== '');
      if (!has) continue;
      const sameKey = has.key === failed.key;
      const apart = sameKey ? editDistance(has.value, failed.value) : editDistance(has.key, failed.key);
      const similar = sameKey && similarValue(has.value, failed.value, apart);
      const score = (sameKey ? 100 : 50) + (similar ? 30 : 0) - (otherNamespace ? 60 : 0) - apart;
      consider({ workload: w, wanted: failed, has, otherNamespace, fullMatch: false, similar, distance, score });
    }
    if (!best) return undefined;
    const { workload, wanted, has, otherNamespace } = best as Ranked;
    return { workload, wanted, has, otherNamespace };
  }

  /** Workloads in any namespace sharing a selector key or value, at most NEAREST_MISS_SCAN of them. */
  private otherNamespaceCandidates(selector: readonly LabelEntry[]): Workload[] {
    const out = new Set<Workload>();
    for (const s of selector) {
      for (const w of this.index.workloadsWithLabelKey(s.key)) { out.add(w); if (out.size >= NEAREST_MISS_SCAN) return [...out]; }
      for (const w of this.index.workloadsWithLabelValue(s.value)) { out.add(w); if (out.size >= NEAREST_MISS_SCAN) return [...out]; }
    }
    return [...out];
  }

  /** Where a Service port lands in each selected workload. */
  portLandings(svc: Service, port: ServicePort): PortLanding[] {
    return this.selectedWorkloads(svc).map((w) => landing(w, port));
  }

  /** Services named `name` visible from `namespace`, nearest file first. */
  servicesNamed(name: string, namespace: string | undefined, fromUri?: string): Service[] {
    const list = this.index.named<Service>('Service', name, namespace).filter((s) => s.type === 'service' && namespacesCompatible(s.namespace, namespace));
    return sortByProximity(list, fromUri);
  }

  gatewaysNamed(name: string, namespace: string | undefined, fromUri?: string): Gateway[] {
    const list = this.index.named<Gateway>('Gateway', name, namespace).filter((g) => g.type === 'gateway' && namespacesCompatible(g.namespace, namespace));
    return sortByProximity(list, fromUri);
  }

  /** Does the Service (any of its definitions) expose this port (number or name)? */
  findServicePort(svc: Service, ref: { number?: number; name?: string }): ServicePort | undefined {
    return svc.ports.find((p) => ref.number !== undefined ? p.port?.value === ref.number : ref.name !== undefined && p.name?.value === ref.name);
  }
}

/** Resolves targetPort (number, name, or defaulted to port) against one workload's containers. */
export function landing(w: Workload, port: ServicePort): PortLanding {
  // targetPort defaults to port, which must be a number (a string port is invalid, not a name).
  const target = port.targetPort ? port.targetPort.value : typeof port.port?.value === 'number' ? port.port.value : undefined;
  const eligible = w.containers.filter((c) => c.role !== 'init');
  if (typeof target === 'string') {
    for (const c of eligible) {
      for (const cp of c.ports) {
        if (cp.name?.value === target && cp.effectiveProtocol === port.effectiveProtocol) {
          const n = cp.containerPort?.value;
          return { workload: w, container: c, containerPort: cp, ...(typeof n === 'number' ? { podPort: n } : {}) };
        }
      }
    }
    return { workload: w };
  }
  if (typeof target === 'number') {
    for (const c of eligible) {
      for (const cp of c.ports) {
        if (cp.containerPort?.value === target && cp.effectiveProtocol === port.effectiveProtocol) {
          return { workload: w, container: c, containerPort: cp, podPort: target };
        }
      }
    }
    return { workload: w, podPort: target };
  }
  return { workload: w };
}

export function declaresAnyPort(w: Workload): boolean {
  return w.containers.some((c) => c.role !== 'init' && c.ports.length > 0);
}

/** A nearest-miss candidate with what ranks it. */
interface Ranked extends NearestMiss {
  /** Every selector entry matches (only possible in another namespace). */
  readonly fullMatch: boolean;
  /** The failing entry has the same key and a similar value: likely a typo. */
  readonly similar: boolean;
  /** folderDistance from the Service's file. */
  readonly distance: number;
  /** Label closeness (higher is closer). */
  readonly score: number;
}

/**
 * Nearest-miss order: a full match in another namespace; then candidates from a namespace the
 * Service can select; a likely typo; the same file, the same folder, the nearest folder (of
 * several folders checked together, an unrelated one's workload is not the suggestion); label
 * closeness; document order (so the answer does not depend on edit history).
 */
function ranksBefore(a: Ranked, b: Ranked): boolean {
  if (a.fullMatch !== b.fullMatch) return a.fullMatch;
  if (a.otherNamespace !== b.otherNamespace) return !a.otherNamespace;
  if (a.similar !== b.similar) return a.similar;
  if (a.distance !== b.distance) return a.distance < b.distance;
  if (a.score !== b.score) return a.score > b.score;
  return before(a.workload, b.workload);
}

/** Document order across files: path, then offset. Keeps every answer independent of edit history. */
function before(a: Resource, b: Resource): boolean {
  return a.uri < b.uri || (a.uri === b.uri && a.span.start < b.span.start);
}

export function sortByLocation<T extends Resource>(list: T[]): T[] {
  return list.sort((a, b) => a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.span.start - b.span.start);
}

/** Same file first, then same folder, then the closest folder upwards, then the rest by path. */
export function sortByProximity<T extends Resource>(list: T[], fromUri: string | undefined): T[] {
  if (!fromUri || list.length < 2) return sortByLocation(list);
  return list.sort((a, b) => folderDistance(fromUri, a.uri) - folderDistance(fromUri, b.uri) || (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.span.start - b.span.start));
}

/** `apart`: editDistance(a, b), already known to the caller (the same when neither has capitals). */
function similarValue(a: string, b: string, apart: number): boolean {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la === lb || la.includes(lb) || lb.includes(la)) return true;
  const d = la === a && lb === b ? apart : editDistance(la, lb);
  return d <= Math.max(1, Math.floor(Math.max(a.length, b.length) / 3));
}

/** One row of the edit-distance table, reused (label values are short; it grows when one is not). */
let row = new Int32Array(64);

/** Levenshtein distance, capped at 40 (and 40 when the lengths differ by more than 20). */
function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > 20) return 40;
  if (row.length <= b.length) row = new Int32Array(b.length + 1);
  const prev = row;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      const sub = diag + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = prev[j - 1]! + 1;
      prev[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
      diag = tmp;
    }
  }
  return Math.min(prev[b.length]!, 40);
}
