import { GATEWAY_GROUP } from '../facts/grants';
import type {
  RouteKind,
  BackendObjectRef, BackendRef, HeaderModifier, HeaderValue, ParentRef, PathModifier, ResourceBase, Route, RouteFilter,
  RouteMatch, RouteRule, RouteValueMatch,
} from '../model/resources';
import { asMap, getMap, getScalar, getSeq, getString, getText, nodeSpan, scalarRef, seqItems, type MapNode, type DocRef } from '../model/yamlAccess';
import type { Span } from '../types';

/** Extraction of Gateway API routes (the model half of the route home, kinds/route.ts). */

export function refGroupKind(m: MapNode, doc: DocRef, defGroup: string, defKind: string): { group: string; kind: string } {
  const g = getScalar(m, 'group', doc);
  const k = getString(m, 'kind', doc);
  return { group: g && typeof g.value === 'string' ? g.value : defGroup, kind: k?.value || defKind };
}

const numberOf = (m: MapNode | undefined, key: string, doc: DocRef): number | undefined => {
  const v = getScalar(m, key, doc)?.value;
  return typeof v === 'number' ? v : undefined;
};

function objectRef(m: MapNode, doc: DocRef): BackendObjectRef {
  return {
    span: nodeSpan(m)!, ...refGroupKind(m, doc, '', 'Service'),
    name: getString(m, 'name', doc), namespace: getString(m, 'namespace', doc), port: getScalar(m, 'port', doc),
  };
}

export function routeOf(base: ResourceBase & { readonly kind: RouteKind }, root: MapNode, doc: DocRef): Route {
  const spec = getMap(root, 'spec', doc);
  const parentRefs = seqItems(getSeq(spec, 'parentRefs', doc), doc).flatMap((n): ParentRef[] => {
    const m = asMap(n);
    if (!m) return [];
    const port = getScalar(m, 'port', doc);
    const section = getString(m, 'sectionName', doc);
    return [{
      span: nodeSpan(m)!, ...refGroupKind(m, doc, GATEWAY_GROUP, 'Gateway'),
      name: getString(m, 'name', doc), namespace: getString(m, 'namespace', doc),
      sectionName: section?.value,
      port: port && typeof port.value === 'number' ? port.value : undefined,
      ...(section ? { sectionNameSpan: section.span } : {}), ...(port ? { portSpan: port.span } : {}),
    }];
  });
  const backendRefs: BackendRef[] = [];
  const rules: RouteRule[] = [];
  const layer7 = base.kind === 'HTTPRoute' || base.kind === 'GRPCRoute';
  seqItems(getSeq(spec, 'rules', doc), doc).forEach((ruleNode, ruleIndex) => {
    const rule = asMap(ruleNode);
    if (layer7) rules.push(routeRuleOf(rule, base.kind === 'GRPCRoute', doc, nodeSpan(ruleNode) ?? base.span));
    const firstMatch = asMap(seqItems(getSeq(rule, 'matches', doc), doc)[0]);
    const matchPath = getString(getMap(firstMatch, 'path', doc), 'value', doc)?.value;
    for (const n of seqItems(getSeq(rule, 'backendRefs', doc), doc)) {
      const m = asMap(n);
      if (!m) continue;
      backendRefs.push({
        ...objectRef(m, doc), weight: numberOf(m, 'weight', doc), ruleIndex,
        ...(matchPath ? { matchPath } : {}),
        filters: layer7 ? filtersOf(m, doc) : [],
      });
    }
  });
  const hostnames = seqItems(getSeq(spec, 'hostnames', doc), doc)
    .map((h) => scalarRef(h)?.value).filter((h): h is string => typeof h === 'string');
  return { ...base, type: 'route', hostnames, parentRefs, backendRefs, rules };
}

function routeRuleOf(rule: MapNode | undefined, grpc: boolean, doc: DocRef, span: Span): RouteRule {
  const values = (m: MapNode | undefined, key: string): RouteValueMatch[] => seqItems(getSeq(m, key, doc), doc).flatMap((n) => {
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
  const filters = filtersOf(rule, doc);
  if (matches.length > 0) return { span, matches, matchesDefaulted: false, filters };
  const all: RouteMatch = { span, path: grpc ? undefined : { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [], method: undefined };
  return { span, matches: [all], matchesDefaulted: true, filters };
}

/** The `filters` of a rule or a backendRef, each with the part its `type` names. */
function filtersOf(owner: MapNode | undefined, doc: DocRef): RouteFilter[] {
  return seqItems(getSeq(owner, 'filters', doc), doc).flatMap((n): RouteFilter[] => {
    const f = asMap(n);
    const type = getString(f, 'type', doc)?.value;
    if (!f || !type) return [];
    const span = nodeSpan(f)!;
    switch (type) {
      case 'RequestRedirect': {
        const r = getMap(f, 'requestRedirect', doc);
        return [{
          type, span,
          redirect: {
            scheme: getString(r, 'scheme', doc)?.value, hostname: getString(r, 'hostname', doc)?.value,
            port: numberOf(r, 'port', doc), path: pathModifier(getMap(r, 'path', doc), doc), statusCode: numberOf(r, 'statusCode', doc) ?? 302,
          },
        }];
      }
      case 'URLRewrite': {
        const r = getMap(f, 'urlRewrite', doc);
        return [{ type, span, rewrite: { hostname: getString(r, 'hostname', doc)?.value, path: pathModifier(getMap(r, 'path', doc), doc) } }];
      }
      case 'RequestHeaderModifier':
      case 'ResponseHeaderModifier':
        return [{ type, span, headers: headerModifier(getMap(f, type === 'RequestHeaderModifier' ? 'requestHeaderModifier' : 'responseHeaderModifier', doc), doc) }];
      case 'RequestMirror': {
        const r = getMap(f, 'requestMirror', doc);
        const ref = asMap(getMap(r, 'backendRef', doc));
        if (!ref) return [{ type, span }];
        const fraction = getMap(r, 'fraction', doc);
        const num = numberOf(fraction, 'numerator', doc);
        const den = numberOf(fraction, 'denominator', doc) ?? 100;
        const percent = numberOf(r, 'percent', doc) ?? (num !== undefined && den > 0 ? (num / den) * 100 : 100);
        return [{ type, span, mirror: { ref: objectRef(ref, doc), percent } }];
      }
      case 'ExtensionRef': {
        const r = getMap(f, 'extensionRef', doc);
        return [{ type, span, extensionRef: { group: getString(r, 'group', doc)?.value ?? '', kind: getString(r, 'kind', doc)?.value ?? '', name: getText(r, 'name', doc)?.value } }];
      }
      default:
        return [{ type, span }];
    }
  });
}

function pathModifier(m: MapNode | undefined, doc: DocRef): PathModifier | undefined {
  if (!m) return undefined;
  const type = getString(m, 'type', doc)?.value ?? '';
  const key = type === 'ReplaceFullPath' ? 'replaceFullPath' : type === 'ReplacePrefixMatch' ? 'replacePrefixMatch' : undefined;
  const v = key ? getScalar(m, key, doc)?.value : undefined;
  return { type, value: typeof v === 'string' ? v : v === null || v === undefined ? undefined : String(v) };
}

function headerModifier(m: MapNode | undefined, doc: DocRef): HeaderModifier {
  const pairs = (key: string): HeaderValue[] => seqItems(getSeq(m, key, doc), doc).flatMap((n) => {
    const h = asMap(n);
    const name = getText(h, 'name', doc)?.value;
    const value = getText(h, 'value', doc)?.value;
    return name !== undefined ? [{ name, value: value ?? '' }] : [];
  });
  const remove = seqItems(getSeq(m, 'remove', doc), doc).map((n) => scalarRef(n)?.value).filter((v): v is string => typeof v === 'string');
  return { set: pairs('set'), add: pairs('add'), remove };
}
