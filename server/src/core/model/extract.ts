import { isMap, type Document, type Pair, type YAMLMap } from 'yaml';
import type { ParsedFile } from '../parse/parseFile';
import type { Span } from '../types';
import {
  ROUTE_KINDS, WORKLOAD_KINDS,
  type BackendRef, type Container, type ContainerPort, type EndpointsResource, type Gateway, type Ingress,
  type IngressBackend, type IngressPath, type LabelEntry, type LabelSelector, type ParentRef, type ReferenceGrant,
  type Resource, type ResourceBase, type Route, type RouteMatch, type RouteRule, type RouteValueMatch, type Service, type ServicePort, type Workload, type WorkloadKind,
} from './resources';
import {
  asMap, entries, findPair, get, getMap, getPath, getScalar, getSeq, getString, getText, keySpan, nodeSpan,
  scalarRef, seqItems, type AnyNode, type ScalarRef,
} from './yamlAccess';
import { policyResourceOf } from './extractPolicy';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** Builds the resource model of every Kubernetes object in a parsed file. */
export function extractResources(file: ParsedFile): Resource[] {
  const out: Resource[] = [];
  for (const d of file.documents ?? []) {
    const root = asMap(d.doc.contents as AnyNode);
    if (!root) continue;
    collect(file.uri, d.index, root, d.doc, out, 0);
  }
  return out;
}

function collect(uri: string, docIndex: number, root: YAMLMap, doc: Document.Parsed, out: Resource[], depth: number): void {
  const apiVersion = getString(root, 'apiVersion', doc);
  const kind = getString(root, 'kind', doc);
  // Not a Kubernetes object (kustomization, patch, CI config, values file): ignored silently.
  if (!apiVersion || !kind) return;
  // `kind: List` (and FooList) wraps objects in `items`.
  if ((kind.value === 'List' || kind.value.endsWith('List')) && depth < 2) {
    const items = getSeq(root, 'items', doc);
    if (items) {
      for (const item of seqItems(items, doc)) {
        const m = asMap(item);
        if (m) collect(uri, docIndex, m, doc, out, depth + 1);
      }
      return;
    }
  }
  const base = baseOf(uri, docIndex, root, doc, apiVersion.value, kind.value, kind.span);
  out.push(modelOf(base, root, doc));
}

function baseOf(
  uri: string, docIndex: number, root: YAMLMap, doc: Document.Parsed, apiVersion: string, kind: string, kindSpan: Span,
): ResourceBase {
  const metadata = getMap(root, 'metadata', doc);
  const nameRef = getScalar(metadata, 'name', doc) ?? recoveredName(getMap(metadata, 'name', doc));
  const namespaceRef = getString(metadata, 'namespace', doc);
  const name = nameRef && (typeof nameRef.value === 'string' || typeof nameRef.value === 'number')
    ? String(nameRef.value) : undefined;
  return {
    uri, docIndex, apiVersion, kind, name,
    namespace: namespaceRef && namespaceRef.value !== '' ? namespaceRef.value : undefined,
    kindSpan, nameRef, namespaceRef,
    span: nodeSpan(root) ?? kindSpan,
    labels: labelEntries(getMap(metadata, 'labels', doc), doc),
  };
}

/**
 * `name: web` followed by a key indented under it (`  annotations:`) parses as a map whose key is
 * "web annotations" (and is reported as a YAML error). The name is still `web`.
 */
function recoveredName(map: YAMLMap | undefined): ScalarRef | undefined {
  const first = map?.items[0];
  const key = first ? scalarRef(first.key as AnyNode) : undefined;
  if (!key || typeof key.value !== 'string' || !key.plain) return undefined;
  const m = /^(\S+)\s+\S/.exec(key.value);
  if (!m) return undefined;
  return { value: m[1]!, span: { start: key.span.start, end: key.span.start + m[1]!.length }, plain: true };
}

function modelOf(base: ResourceBase, root: YAMLMap, doc: Document.Parsed): Resource {
  const { kind, apiVersion } = base;
  if (WORKLOAD_KINDS.has(kind) && /^(v1|(apps|batch|extensions)\/.+)$/.test(apiVersion)) {
    return workloadOf(base, root, doc, kind as WorkloadKind);
  }
  if (kind === 'Service' && apiVersion === 'v1') return serviceOf(base, root, doc);
  if (kind === 'Endpoints' && apiVersion === 'v1') return { ...base, type: 'endpoints', serviceName: base.name };
  if (kind === 'EndpointSlice' && apiVersion.startsWith('discovery.k8s.io/')) {
    const label = base.labels.find((l) => l.key === 'kubernetes.io/service-name');
    return { ...base, type: 'endpoints', serviceName: label?.value } satisfies EndpointsResource;
  }
  if (kind === 'Ingress' && /^(networking\.k8s\.io|extensions)\//.test(apiVersion)) return ingressOf(base, root, doc);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (group === GATEWAY_GROUP) {
    if (ROUTE_KINDS.has(kind)) return routeOf(base, root, doc);
    if (kind === 'Gateway') return gatewayOf(base, root, doc);
    if (kind === 'ReferenceGrant') return referenceGrantOf(base, root, doc);
  }
  const policy = policyResourceOf(base, root, doc);
  if (policy) return policy;
  // SMI TrafficSplit: its apex Service selects nothing on purpose (see service-selects-nothing).
  const splitService = kind === 'TrafficSplit' ? getString(getMap(root, 'spec', doc), 'service', doc)?.value : undefined;
  return { ...base, type: 'other', ...(splitService ? { trafficSplitService: splitService } : {}) };
}

// ---------------------------------------------------------------- labels

/** YAML 1.1 booleans: Kubernetes' decoder (go-yaml) reads these plain scalars as booleans. */
const YAML11_BOOL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

export function labelEntries(map: YAMLMap | undefined, doc: Document.Parsed): LabelEntry[] {
  const out: LabelEntry[] = [];
  for (const { key, pair, value } of entries(map, doc)) {
    const keySpanV = nodeSpan(pair.key as AnyNode);
    if (!keySpanV) continue;
    const s = scalarRef(value);
    let text = '';
    let notString: string | undefined;
    if (s) {
      if (typeof s.value === 'string') {
        text = s.value;
        if (s.plain && YAML11_BOOL.test(s.value)) notString = 'a boolean for Kubernetes (YAML 1.1)';
      } else if (s.value === null) {
        text = '';
      } else {
        text = String(s.value);
        notString = typeof s.value === 'number' ? 'a number' : typeof s.value === 'boolean' ? 'a boolean' : typeof s.value;
      }
    } else if (value) {
      text = '';
      notString = 'not a scalar';
    }
    out.push({
      key, value: text, keySpan: keySpanV, valueSpan: s?.span ?? nodeSpan(value) ?? keySpanV,
      ...(notString ? { valueNotString: notString } : {}),
    });
  }
  return out;
}

/** A label selector under `key` (matchLabels/matchExpressions; or a plain map for `plainMap`). */
export function selectorOf(spec: YAMLMap | undefined, doc: Document.Parsed, plainMap: boolean, key = 'selector'): LabelSelector | undefined {
  const pair = findPair(spec, key, doc);
  if (!pair) return undefined;
  const keySpanV = keySpan(pair)!;
  const node = get(spec, key, doc);
  const m = asMap(node);
  if (plainMap) return { matchLabels: labelEntries(m, doc), matchExpressions: [], keySpan: keySpanV };
  const matchExpressions = seqItems(getSeq(m, 'matchExpressions', doc), doc).flatMap((item) => {
    const e = asMap(item);
    const key = getText(e, 'key', doc);
    const op = getText(e, 'operator', doc);
    if (!e || !key || !op) return [];
    const values = seqItems(getSeq(e, 'values', doc), doc)
      .map((v) => scalarRef(v)).filter((v): v is ScalarRef => !!v && v.value !== null).map((v) => String(v.value));
    return [{ key: key.value, operator: op.value, values, span: nodeSpan(e)! }];
  });
  return { matchLabels: labelEntries(getMap(m, 'matchLabels', doc), doc), matchExpressions, keySpan: keySpanV };
}

// ---------------------------------------------------------------- workloads

function workloadOf(base: ResourceBase, root: YAMLMap, doc: Document.Parsed, kind: WorkloadKind): Workload {
  const spec = getMap(root, 'spec', doc);
  let templateMeta: YAMLMap | undefined;
  let podSpec: YAMLMap | undefined;
  let templateNode: AnyNode;
  if (kind === 'Pod') {
    templateNode = getMap(root, 'metadata', doc);
    templateMeta = asMap(templateNode);
    podSpec = spec;
  } else if (kind === 'CronJob') {
    templateNode = getPath(spec, ['jobTemplate', 'spec', 'template'], doc);
    templateMeta = getMap(asMap(templateNode), 'metadata', doc);
    podSpec = getMap(asMap(templateNode), 'spec', doc);
  } else {
    templateNode = get(spec, 'template', doc);
    templateMeta = getMap(asMap(templateNode), 'metadata', doc);
    podSpec = getMap(asMap(templateNode), 'spec', doc);
  }
  const labelsPair = findPair(templateMeta, 'labels', doc);
  const replicasRef = kind === 'Job' ? getScalar(spec, 'parallelism', doc) : getScalar(spec, 'replicas', doc);
  const replicas = replicasRef && typeof replicasRef.value === 'number' ? replicasRef.value : undefined;
  const selector = kind === 'Pod' || kind === 'CronJob' ? undefined
    : selectorOf(spec, doc, kind === 'ReplicationController');
  return {
    ...base, type: 'workload', kind,
    podLabels: labelEntries(asMap(labelsPair ? get(templateMeta, 'labels', doc) : undefined), doc),
    podLabelsSpan: labelsPair ? keySpan(labelsPair) : undefined,
    containers: containersOf(podSpec, doc),
    replicas,
    replicasUnknown: !!replicasRef && typeof replicasRef.value !== 'number',
    selector,
    serviceName: kind === 'StatefulSet' ? getScalar(spec, 'serviceName', doc) : undefined,
    templateSpan: nodeSpan(templateNode),
  };
}

function containersOf(podSpec: YAMLMap | undefined, doc: Document.Parsed): Container[] {
  const out: Container[] = [];
  const add = (key: string, init: boolean) => {
    for (const item of seqItems(getSeq(podSpec, key, doc), doc)) {
      const c = asMap(item);
      if (!c) continue;
      const name = getText(c, 'name', doc);
      const restart = getString(c, 'restartPolicy', doc);
      out.push({
        name: name?.value, nameSpan: name?.span, span: nodeSpan(c)!,
        role: !init ? 'container' : restart?.value === 'Always' ? 'sidecar' : 'init',
        ports: seqItems(getSeq(c, 'ports', doc), doc).flatMap((p): ContainerPort[] => {
          const pm = asMap(p);
          if (!pm) return [];
          const protocol = getScalar(pm, 'protocol', doc);
          return [{
            name: getScalar(pm, 'name', doc), containerPort: getScalar(pm, 'containerPort', doc), protocol,
            effectiveProtocol: protocol && typeof protocol.value === 'string' && protocol.value ? protocol.value : 'TCP',
            span: nodeSpan(pm)!,
          }];
        }),
      });
    }
  };
  add('containers', false);
  add('initContainers', true);
  return out;
}

// ---------------------------------------------------------------- services

function serviceOf(base: ResourceBase, root: YAMLMap, doc: Document.Parsed): Service {
  const specPair = findPair(root, 'spec', doc);
  const spec = getMap(root, 'spec', doc);
  const typeRef = getScalar(spec, 'type', doc);
  const clusterIPRef = getScalar(spec, 'clusterIP', doc);
  const clusterIPs = seqItems(getSeq(spec, 'clusterIPs', doc), doc).map((n) => scalarRef(n)?.value);
  const headless = clusterIPRef?.value === 'None' || clusterIPs[0] === 'None';
  const selectorPair = findPair(spec, 'selector', doc);
  const selectorEntries = labelEntries(getMap(spec, 'selector', doc), doc);
  const portsPair = findPair(spec, 'ports', doc);
  const etpPair = findPair(spec, 'externalTrafficPolicy', doc);
  const lbPair = findPair(spec, 'loadBalancerIP', doc);
  return {
    ...base, type: 'service',
    serviceType: typeRef && typeof typeRef.value === 'string' && typeRef.value ? typeRef.value : 'ClusterIP',
    typeRef, headless, clusterIPRef,
    selector: selectorEntries.length > 0 ? selectorEntries : undefined,
    selectorKeySpan: keySpan(selectorPair),
    ports: seqItems(getSeq(spec, 'ports', doc), doc).flatMap((p): ServicePort[] => {
      const pm = asMap(p);
      if (!pm) return [];
      const protocol = getScalar(pm, 'protocol', doc);
      return [{
        span: nodeSpan(pm)!,
        name: getScalar(pm, 'name', doc),
        port: getScalar(pm, 'port', doc),
        targetPort: getScalar(pm, 'targetPort', doc),
        nodePort: getScalar(pm, 'nodePort', doc),
        protocol,
        effectiveProtocol: protocol && typeof protocol.value === 'string' && protocol.value ? protocol.value : 'TCP',
      }];
    }),
    portsKeySpan: keySpan(portsPair),
    specKeySpan: keySpan(specPair),
    specFirstKeySpan: spec && !spec.flow && spec.items[0] ? keySpan(spec.items[0] as Pair) : undefined,
    externalName: getScalar(spec, 'externalName', doc),
    externalIPs: seqItems(getSeq(spec, 'externalIPs', doc), doc)
      .map((n) => scalarRef(n)?.value).filter((v): v is string => typeof v === 'string'),
    externalTrafficPolicy: getScalar(spec, 'externalTrafficPolicy', doc),
    externalTrafficPolicyKeySpan: keySpan(etpPair),
    internalTrafficPolicy: getString(spec, 'internalTrafficPolicy', doc)?.value,
    loadBalancerIP: getScalar(spec, 'loadBalancerIP', doc),
    loadBalancerIPKeySpan: keySpan(lbPair),
  };
}

// ---------------------------------------------------------------- ingress

function ingressOf(base: ResourceBase, root: YAMLMap, doc: Document.Parsed): Ingress {
  const legacy = !base.apiVersion.endsWith('/v1');
  const spec = getMap(root, 'spec', doc);
  const backends: IngressBackend[] = [];
  const paths: IngressPath[] = [];
  const hosts: string[] = [];

  const backendOf = (node: AnyNode, extra: Omit<IngressBackend, 'serviceName' | 'port' | 'span'>): IngressBackend | undefined => {
    const b = asMap(node);
    if (!b) return undefined;
    if (legacy) {
      const serviceName = getString(b, 'serviceName', doc);
      const sp = getScalar(b, 'servicePort', doc);
      const port = sp ? {
        number: typeof sp.value === 'number' ? sp : undefined,
        name: typeof sp.value === 'string' ? sp : undefined,
        span: sp.span,
      } : undefined;
      if (!serviceName && !port) return undefined;
      return { ...extra, serviceName, port, span: nodeSpan(b)! };
    }
    const svc = getMap(b, 'service', doc);
    if (!svc) return undefined; // `resource:` backends point at other kinds (e.g. a bucket)
    const portMap = getMap(svc, 'port', doc);
    return {
      ...extra,
      serviceName: getString(svc, 'name', doc),
      port: portMap ? {
        number: getScalar(portMap, 'number', doc), name: getScalar(portMap, 'name', doc), span: nodeSpan(portMap)!,
      } : undefined,
      span: nodeSpan(svc)!,
    };
  };

  const def = backendOf(get(spec, legacy ? 'backend' : 'defaultBackend', doc), {
    host: undefined, path: undefined, pathType: undefined, isDefault: true,
  }) ?? (legacy ? undefined : backendOf(get(spec, 'backend', doc), { host: undefined, path: undefined, pathType: undefined, isDefault: true }));
  if (def) backends.push(def);

  for (const ruleNode of seqItems(getSeq(spec, 'rules', doc), doc)) {
    const rule = asMap(ruleNode);
    if (!rule) continue;
    const host = getString(rule, 'host', doc)?.value;
    if (host) hosts.push(host);
    const http = getMap(rule, 'http', doc);
    let pathSeq = getSeq(http, 'paths', doc);
    let misplaced: Span | undefined;
    if (!pathSeq && !http) {
      // `paths` typed at the depth of `http:` (which is then empty): recover so backends still resolve.
      const stray = findPair(rule, 'paths', doc);
      pathSeq = getSeq(rule, 'paths', doc);
      if (stray && pathSeq) misplaced = keySpan(stray);
    }
    for (const pNode of seqItems(pathSeq, doc)) {
      const p = asMap(pNode);
      if (!p) continue;
      const path = getScalar(p, 'path', doc);
      const pathType = getScalar(p, 'pathType', doc);
      const backend = backendOf(get(p, 'backend', doc), {
        host, path, pathType, isDefault: false, ...(misplaced ? { misplacedPaths: misplaced } : {}),
      });
      if (backend) backends.push(backend);
      paths.push({ span: nodeSpan(p)!, host, path, pathKeySpan: keySpan(findPair(p, 'path', doc)), pathType, backend });
    }
  }
  const tlsHosts = seqItems(getSeq(spec, 'tls', doc), doc).flatMap((t) =>
    seqItems(getSeq(asMap(t), 'hosts', doc), doc).map((h) => scalarRef(h)?.value).filter((h): h is string => typeof h === 'string'));
  return {
    ...base, type: 'ingress', legacy,
    ingressClassName: getString(spec, 'ingressClassName', doc)?.value,
    backends, paths, hosts, tlsHosts,
  };
}

// ---------------------------------------------------------------- gateway api

function refGroupKind(m: YAMLMap, doc: Document.Parsed, defGroup: string, defKind: string): { group: string; kind: string } {
  const g = getScalar(m, 'group', doc);
  const k = getString(m, 'kind', doc);
  return { group: g && typeof g.value === 'string' ? g.value : defGroup, kind: k?.value || defKind };
}

function routeOf(base: ResourceBase, root: YAMLMap, doc: Document.Parsed): Route {
  const spec = getMap(root, 'spec', doc);
  const parentRefs = seqItems(getSeq(spec, 'parentRefs', doc), doc).flatMap((n): ParentRef[] => {
    const m = asMap(n);
    if (!m) return [];
    const port = getScalar(m, 'port', doc);
    return [{
      span: nodeSpan(m)!, ...refGroupKind(m, doc, GATEWAY_GROUP, 'Gateway'),
      name: getString(m, 'name', doc), namespace: getString(m, 'namespace', doc),
      sectionName: getString(m, 'sectionName', doc)?.value,
      port: port && typeof port.value === 'number' ? port.value : undefined,
    }];
  });
  const backendRefs: BackendRef[] = [];
  const rules: RouteRule[] = [];
  const matchesOf = base.kind === 'HTTPRoute' || base.kind === 'GRPCRoute';
  seqItems(getSeq(spec, 'rules', doc), doc).forEach((ruleNode, ruleIndex) => {
    if (matchesOf) rules.push(routeRuleOf(asMap(ruleNode), base.kind === 'GRPCRoute', doc, nodeSpan(ruleNode) ?? base.span));
    const firstMatch = asMap(seqItems(getSeq(asMap(ruleNode), 'matches', doc), doc)[0]);
    const matchPath = getString(getMap(firstMatch, 'path', doc), 'value', doc)?.value;
    for (const n of seqItems(getSeq(asMap(ruleNode), 'backendRefs', doc), doc)) {
      const m = asMap(n);
      if (!m) continue;
      const weight = getScalar(m, 'weight', doc);
      backendRefs.push({
        span: nodeSpan(m)!, ...refGroupKind(m, doc, '', 'Service'),
        name: getString(m, 'name', doc), namespace: getString(m, 'namespace', doc),
        port: getScalar(m, 'port', doc),
        weight: weight && typeof weight.value === 'number' ? weight.value : undefined,
        ruleIndex,
        ...(matchPath ? { matchPath } : {}),
      });
    }
  });
  const hostnames = seqItems(getSeq(spec, 'hostnames', doc), doc)
    .map((h) => scalarRef(h)?.value).filter((h): h is string => typeof h === 'string');
  return { ...base, type: 'route', hostnames, parentRefs, backendRefs, rules };
}

function routeRuleOf(rule: YAMLMap | undefined, grpc: boolean, doc: Document.Parsed, span: Span): RouteRule {
  const values = (m: YAMLMap | undefined, key: string): RouteValueMatch[] => seqItems(getSeq(m, key, doc), doc).flatMap((n) => {
    const v = asMap(n);
    const name = getText(v, 'name', doc)?.value;
    const value = getScalar(v, 'value', doc)?.value;
    if (!name || value === undefined || value === null) return [];
    return [{ type: getString(v, 'type', doc)?.value || 'Exact', name, value: String(value) }];
  });
  const matches = seqItems(getSeq(rule, 'matches', doc), doc).flatMap((n): RouteMatch[] => {
    const m = asMap(n);
    if (!m) return [];
    const headers = values(m, 'headers');
    if (grpc) {
      const gm = getMap(m, 'method', doc);
      return [{
        span: nodeSpan(m)!, path: undefined, headers, queryParams: [], method: undefined,
        ...(gm ? { grpc: { type: getString(gm, 'type', doc)?.value || 'Exact', service: getText(gm, 'service', doc)?.value, method: getText(gm, 'method', doc)?.value } } : {}),
      }];
    }
    const path = getMap(m, 'path', doc);
    const value = getScalar(path, 'value', doc)?.value;
    return [{
      span: nodeSpan(m)!,
      path: { type: getString(path, 'type', doc)?.value || 'PathPrefix', value: value === undefined || value === null ? '/' : String(value) },
      headers, queryParams: values(m, 'queryParams'), method: getString(m, 'method', doc)?.value,
    }];
  });
  if (matches.length > 0) return { span, matches, matchesDefaulted: false };
  const all: RouteMatch = { span, path: grpc ? undefined : { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [], method: undefined };
  return { span, matches: [all], matchesDefaulted: true };
}

function gatewayOf(base: ResourceBase, root: YAMLMap, doc: Document.Parsed): Gateway {
  const spec = getMap(root, 'spec', doc);
  return {
    ...base, type: 'gateway',
    gatewayClassName: getString(spec, 'gatewayClassName', doc)?.value,
    listeners: seqItems(getSeq(spec, 'listeners', doc), doc).flatMap((n) => {
      const m = asMap(n);
      if (!m) return [];
      const port = getScalar(m, 'port', doc);
      return [{
        name: getText(m, 'name', doc)?.value,
        port: port && typeof port.value === 'number' ? port.value : undefined,
        protocol: getString(m, 'protocol', doc)?.value,
        hostname: getString(m, 'hostname', doc)?.value,
        span: nodeSpan(m)!,
        allowedRoutesFrom: getString(asMap(getPath(m, ['allowedRoutes', 'namespaces'], doc)), 'from', doc)?.value || 'Same',
      }];
    }),
    addresses: seqItems(getSeq(spec, 'addresses', doc), doc)
      .map((a) => getString(asMap(a), 'value', doc)?.value).filter((v): v is string => !!v),
  };
}

function referenceGrantOf(base: ResourceBase, root: YAMLMap, doc: Document.Parsed): ReferenceGrant {
  const spec = getMap(root, 'spec', doc);
  const list = (key: string) => seqItems(getSeq(spec, key, doc), doc).map((n) => asMap(n)).filter((m): m is YAMLMap => isMap(m));
  return {
    ...base, type: 'referenceGrant',
    from: list('from').map((m) => ({
      group: String(getScalar(m, 'group', doc)?.value ?? ''), kind: getString(m, 'kind', doc)?.value ?? '',
      namespace: getString(m, 'namespace', doc)?.value,
    })),
    to: list('to').map((m) => ({
      group: String(getScalar(m, 'group', doc)?.value ?? ''), kind: getString(m, 'kind', doc)?.value ?? '',
      name: getString(m, 'name', doc)?.value,
    })),
  };
}
