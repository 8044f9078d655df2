import { keyedField } from '../model/extract';
import type { IngressBackendShape, IngressRuleShape, IngressShape } from '../model/resources';
import { asMap, findPair, get, getMap, getScalar, getSeq, keySpan, nodeSpan, scalarRef, seqItems, type MapNode, type DocRef, type PairNode } from '../model/yamlAccess';
import type { Span } from '../types';

/**
 * An Ingress as the API server's validation sees it (rules/ingressShape.ts): every rule, host and
 * backend as written, including the backends kinds/ingress.ts does not follow (resource backends,
 * empty ones, the v1beta1 `serviceName` form in a v1 object). Kept beside kinds/ingress.ts.
 */
export function ingressShapeOf(root: MapNode, doc: DocRef): IngressShape {
  const spec = getMap(root, 'spec', doc);
  const annotations = getMap(getMap(root, 'metadata', doc), 'annotations', doc);
  const backends: IngressBackendShape[] = [];
  const defaultPair = findPair(spec, 'defaultBackend', doc);
  if (defaultPair) backends.push(backendShape(defaultPair, asMap(get(spec, 'defaultBackend', doc)), 'the default backend', doc));

  const rules: IngressRuleShape[] = [];
  const ruleNodes = seqItems(getSeq(spec, 'rules', doc), doc);
  for (const node of ruleNodes) {
    const rule = asMap(node);
    if (!rule) continue;
    const host = keyedField(rule, 'host', doc);
    const hostText = typeof host?.value?.value === 'string' && host.value.value ? host.value.value : '*';
    const httpPair = findPair(rule, 'http', doc);
    const http = getMap(rule, 'http', doc);
    const paths = seqItems(getSeq(http, 'paths', doc), doc);
    for (const pNode of paths) {
      const p = asMap(pNode);
      if (!p) continue;
      const path = getScalar(p, 'path', doc)?.value;
      const where = `\`${hostText}${typeof path === 'string' ? path : ''}\``;
      const pair = findPair(p, 'backend', doc);
      backends.push(pair ? backendShape(pair, asMap(get(p, 'backend', doc)), where, doc) : missingBackend(p, where));
    }
    rules.push({
      span: nodeSpan(rule)!, host,
      httpKeySpan: http ? keySpan(httpPair) : undefined,
      pathCount: paths.length,
      strayPathsKeySpan: http ? undefined : keySpan(findPair(rule, 'paths', doc)),
    });
  }
  return {
    specKeySpan: keySpan(findPair(root, 'spec', doc)),
    rulesKeySpan: keySpan(findPair(spec, 'rules', doc)),
    ruleCount: ruleNodes.length,
    rules, backends,
    hasDefaultBackend: !!asMap(get(spec, 'defaultBackend', doc)),
    ingressClassName: keyedField(spec, 'ingressClassName', doc),
    classAnnotation: keyedField(annotations, 'kubernetes.io/ingress.class', doc),
    tls: seqItems(getSeq(spec, 'tls', doc), doc).flatMap((t) => {
      const m = asMap(t);
      if (!m) return [];
      const hosts = seqItems(getSeq(m, 'hosts', doc), doc).map((h) => scalarRef(h)).filter((h) => !!h);
      return [{ hosts, secretName: keyedField(m, 'secretName', doc) }];
    }),
  };
}

function backendShape(pair: PairNode, b: MapNode | undefined, where: string, doc: DocRef): IngressBackendShape {
  const servicePair = findPair(b, 'service', doc);
  const svc = getMap(b, 'service', doc);
  const portPair = findPair(svc, 'port', doc);
  const port = getMap(svc, 'port', doc);
  const legacy = findPair(b, 'serviceName', doc) ?? findPair(b, 'servicePort', doc);
  return {
    keySpan: keySpan(pair)!,
    where,
    service: servicePair ? {
      keySpan: keySpan(servicePair)!,
      name: getScalar(svc, 'name', doc),
      portKeySpan: keySpan(portPair),
      portNumber: getScalar(port, 'number', doc),
      portName: getScalar(port, 'name', doc),
    } : undefined,
    resourceKeySpan: keySpan(findPair(b, 'resource', doc)),
    legacyKeySpan: keySpan(legacy),
  };
}

/** A path without `backend`: the API server sees an empty one. */
function missingBackend(p: MapNode, where: string): IngressBackendShape {
  const first = p.items[0] as PairNode | undefined;
  const span: Span = keySpan(first) ?? nodeSpan(p)!;
  return { keySpan: span, where, service: undefined, resourceKeySpan: undefined, legacyKeySpan: undefined };
}
