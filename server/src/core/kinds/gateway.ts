import { GATEWAY_GROUP } from '../facts/grants';
import type { Gateway, ResourceBase } from '../model/resources';
import { selectorOf } from '../model/extract';
import { asMap, getMap, getPath, getScalar, getSeq, getString, getText, nodeSpan, seqItems, type MapNode, type DocRef } from '../model/yamlAccess';
import type { GatewayDetails } from '../graph/types';
import type { KindHome } from './kind';

/** Gateway API Gateways: listeners (port, protocol, hostname, allowedRoutes) and addresses. */
export const gatewayHome: KindHome<Gateway> = {
  type: 'gateway',
  modelledKinds: ['Gateway'],
  extract(base, root, doc) {
    return base.kind === 'Gateway' && base.apiVersion.startsWith(`${GATEWAY_GROUP}/`) ? gatewayOf(base, root, doc) : undefined;
  },
  index(r, t, add) {
    t.gateways.put(add, r);
  },
  locate: () => undefined,
  node: (r) => ({ kind: 'Gateway', details: gatewayDetails(r) }),

  graph(r, g) {
    const id = g.resource(r);
    g.entry('internet', id, r.listeners.map((l) => `${l.protocol ?? '?'} ${l.port ?? '?'}${l.hostname ? ` ${l.hostname}` : ''}`).join(', '));
  },
};

function gatewayOf(base: ResourceBase, root: MapNode, doc: DocRef): Gateway {
  const spec = getMap(root, 'spec', doc);
  return {
    ...base, type: 'gateway',
    gatewayClassName: getString(spec, 'gatewayClassName', doc)?.value,
    listeners: seqItems(getSeq(spec, 'listeners', doc), doc).flatMap((n) => {
      const m = asMap(n);
      if (!m) return [];
      const port = getScalar(m, 'port', doc);
      const name = getText(m, 'name', doc);
      const namespaces = asMap(getPath(m, ['allowedRoutes', 'namespaces'], doc));
      const selector = selectorOf(namespaces, doc, false);
      const kinds = seqItems(getSeq(getMap(m, 'allowedRoutes', doc), 'kinds', doc), doc).flatMap((k) => {
        const km = asMap(k);
        const kind = getString(km, 'kind', doc)?.value;
        return km && kind ? [{ group: getString(km, 'group', doc)?.value ?? GATEWAY_GROUP, kind }] : [];
      });
      const tlsMode = getString(getMap(m, 'tls', doc), 'mode', doc)?.value;
      return [{
        name: name?.value, ...(name ? { nameSpan: name.span } : {}),
        port: port && typeof port.value === 'number' ? port.value : undefined,
        protocol: getString(m, 'protocol', doc)?.value,
        hostname: getString(m, 'hostname', doc)?.value,
        span: nodeSpan(m)!,
        allowedRoutesFrom: getString(namespaces, 'from', doc)?.value || 'Same',
        ...(selector ? { namespaceSelector: selector } : {}),
        ...(kinds.length ? { allowedKinds: kinds } : {}),
        ...(tlsMode ? { tlsMode } : {}),
      }];
    }),
    addresses: seqItems(getSeq(spec, 'addresses', doc), doc)
      .map((a) => getString(asMap(a), 'value', doc)?.value).filter((v): v is string => !!v),
  };
}

/** The topology's details of a Gateway node. */
function gatewayDetails(g: Gateway): GatewayDetails {
  return {
    gatewayClassName: g.gatewayClassName ?? null,
    listeners: g.listeners.map((l) => ({ name: l.name ?? null, port: l.port ?? null, protocol: l.protocol ?? null, hostname: l.hostname ?? null })),
  };
}
