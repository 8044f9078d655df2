import type { Origin } from '../render/types';
import { fail } from './problems';
import { effectiveNamespace, gvkSelected, type Gvk, type ResId, type Resource } from './resource';
import { field, scalarText, stringMap, type KNode } from './tree';

type Requirement =
  | { readonly op: 'exists' | 'notexists'; readonly key: string }
  | { readonly op: 'in' | 'notin'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'gt' | 'lt'; readonly key: string; readonly n: number };

/** Parses a Kubernetes label selector string (`app=web,tier in (a,b),!legacy`); undefined when invalid. */
export function parseLabelSelector(text: string): Requirement[] | undefined {
  const out: Requirement[] = [];
  const s = text.trim();
  if (s === '') return out;
  let i = 0;
  const skip = () => { while (i < s.length && s[i] === ' ') i++; };
  const word = (): string => {
    skip();
    const m = /^[A-Za-z0-9_.\-/]+/.exec(s.slice(i));
    if (!m) return '';
    i += m[0].length;
    return m[0];
  };
  while (i < s.length) {
    skip();
    if (s[i] === '!') {
      i++;
      const key = word();
      if (!key) return undefined;
      out.push({ op: 'notexists', key });
    } else {
      const key = word();
      if (!key) return undefined;
      skip();
      const rest = s.slice(i);
      const setOp = /^(in|notin)\s*\(/.exec(rest);
      if (setOp) {
        i += setOp[0].length;
        const close = s.indexOf(')', i);
        if (close < 0) return undefined;
        const values = s.slice(i, close).split(',').map((v) => v.trim());
        i = close + 1;
        out.push({ op: setOp[1] as 'in' | 'notin', key, values });
      } else if (rest.startsWith('==') || rest.startsWith('=') || rest.startsWith('!=')) {
        const op = rest.startsWith('!=') ? 'notin' : 'in';
        i += rest.startsWith('=') && !rest.startsWith('==') ? 1 : 2;
        skip();
        const m = /^[A-Za-z0-9_.\-]*/.exec(s.slice(i))!;
        i += m[0].length;
        out.push({ op, key, values: [m[0]] });
      } else if (rest.startsWith('>') || rest.startsWith('<')) {
        i++;
        skip();
        const m = /^-?\d+/.exec(s.slice(i));
        if (!m) return undefined;
        i += m[0].length;
        out.push({ op: rest.startsWith('>') ? 'gt' : 'lt', key, n: Number(m[0]) });
      } else {
        out.push({ op: 'exists', key });
      }
    }
    skip();
    if (i < s.length) {
      if (s[i] !== ',') return undefined;
      i++;
    }
  }
  return out;
}

export function matchesRequirements(reqs: readonly Requirement[], labels: ReadonlyMap<string, string>): boolean {
  return reqs.every((r) => {
    const v = labels.get(r.key);
    switch (r.op) {
      case 'exists': return v !== undefined;
      case 'notexists': return v === undefined;
      case 'in': return v !== undefined && r.values.includes(v);
      case 'notin': return v === undefined || !r.values.includes(v);
      case 'gt': return v !== undefined && /^-?\d+$/.test(v) && Number(v) > r.n;
      case 'lt': return v !== undefined && /^-?\d+$/.test(v) && Number(v) < r.n;
    }
  });
}

/** A patch or replacement target: gvk, name, namespace (regular expressions), label/annotation selectors. */
export interface Selector {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labelSelector: string;
  readonly annotationSelector: string;
  readonly at: Origin;
}

export function readSelector(n: KNode | undefined, at: Origin): Selector {
  const s = (k: string) => scalarText(field(n, k)) ?? '';
  return {
    group: s('group'), version: s('version'), kind: s('kind'), name: s('name'), namespace: s('namespace'),
    labelSelector: s('labelSelector'), annotationSelector: s('annotationSelector'), at: n?.origin ?? at,
  };
}

export function describeSelector(s: Selector): string {
  const parts = [s.group && `group ${s.group}`, s.version && `version ${s.version}`, s.kind && `kind ${s.kind}`, s.name && `name ${s.name}`, s.namespace && `namespace ${s.namespace}`, s.labelSelector && `labelSelector ${s.labelSelector}`, s.annotationSelector && `annotationSelector ${s.annotationSelector}`].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'every object';
}

/** Go's RE2 syntax as far as JavaScript shares it, anchored as kustomize anchors target fields. */
function anchored(pattern: string, at: Origin): RegExp | undefined {
  if (pattern === '') return undefined;
  let p = pattern;
  let flags = '';
  const m = /^\(\?([imsU]+)\)/.exec(p);
  if (m) {
    p = p.slice(m[0].length);
    flags = m[1]!.replace(/[U]/g, '');
  }
  try {
    return new RegExp(`^(?:${p})$`, flags);
  } catch (e) {
    return fail('kustomize-build-failed', at, `invalid regular expression ${JSON.stringify(pattern)} in a target: ${(e as Error).message}`);
  }
}

/** Kustomize's ResMap.Select: original or current name and namespace, current gvk, selectors. */
export function selectResources(resources: readonly Resource[], s: Selector): Resource[] {
  const group = anchored(s.group, s.at);
  const version = anchored(s.version, s.at);
  const kind = anchored(s.kind, s.at);
  const name = anchored(s.name, s.at);
  const namespace = anchored(s.namespace, s.at);
  const labels = parseLabelSelector(s.labelSelector);
  if (!labels) fail('kustomize-build-failed', s.at, `unable to parse requirement: labelSelector ${JSON.stringify(s.labelSelector)} is invalid`);
  const annotations = parseLabelSelector(s.annotationSelector);
  if (!annotations) fail('kustomize-build-failed', s.at, `unable to parse requirement: annotationSelector ${JSON.stringify(s.annotationSelector)} is invalid`);
  return resources.filter((r) => {
    const org = r.orgId();
    const cur = r.curId();
    if (namespace && !namespace.test(r.orgNamespace()) && !namespace.test(effectiveNamespace(cur))) return false;
    if (name && !name.test(org.name) && !name.test(cur.name)) return false;
    const g = r.gvk;
    if (group && !group.test(g.group)) return false;
    if (version && !version.test(g.version)) return false;
    if (kind && !kind.test(g.kind)) return false;
    if (labels.length > 0 && !matchesRequirements(labels, stringMap(field(field(r.node, 'metadata'), 'labels')))) return false;
    if (annotations.length > 0 && !matchesRequirements(annotations, stringMap(field(field(r.node, 'metadata'), 'annotations')))) return false;
    return true;
  });
}

/** Kustomize's ResId.IsSelectedBy (replacements): exact name, namespace (unset is `default`), gvk. */
export function idSelectedBy(id: ResId, sel: Partial<ResId>): boolean {
  if (sel.name && sel.name !== id.name) return false;
  if (sel.namespace) {
    // Replacements build ids without kustomize's cluster-scope flag: an unset namespace is `default`.
    const idNs = id.namespace === '' ? 'default' : id.namespace;
    if (idNs !== sel.namespace) return false;
  }
  return gvkSelected(id, sel as Partial<Gvk>);
}
