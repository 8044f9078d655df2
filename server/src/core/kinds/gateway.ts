import { GATEWAY_GROUP } from '../facts/grants';
import type { Gateway, ResourceBase } from '../model/resources';
import { asMap, getMap, getPath, getScalar, getSeq, getString, getText, nodeSpan, seqItems, type MapNode, type DocRef } from '../model/yamlAccess';
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
  details: (r) => gatewayDetails(r),

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

/** The topology's details of a Gateway node. */
function gatewayDetails(g: Gateway): Record<string, unknown> {
  return {
    gatewayClassName: g.gatewayClassName ?? null,
    listeners: g.listeners.map((l) => ({ name: l.name ?? null, port: l.port ?? null, protocol: l.protocol ?? null, hostname: l.hostname ?? null })),
  };
}
