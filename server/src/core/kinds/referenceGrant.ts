import { GATEWAY_GROUP } from '../facts/grants';
import type { ReferenceGrant, ResourceBase } from '../model/resources';
import { asMap, getMap, getScalar, getSeq, getString, seqItems, type MapNode, type DocRef } from '../model/yamlAccess';
import type { KindHome } from './kind';

/** Gateway API ReferenceGrants: which routes may reference Services in the grant's namespace. */
export const referenceGrantHome: KindHome<ReferenceGrant> = {
  type: 'referenceGrant',
  modelledKinds: ['ReferenceGrant'],
  extract(base, root, doc) {
    return base.kind === 'ReferenceGrant' && base.apiVersion.startsWith(`${GATEWAY_GROUP}/`) ? referenceGrantOf(base, root, doc) : undefined;
  },
  index(r, t, add) {
    t.grants.put(add, r);
  },
  locate: () => undefined,
  graph: () => {},
};

function referenceGrantOf(base: ResourceBase, root: MapNode, doc: DocRef): ReferenceGrant {
  const spec = getMap(root, 'spec', doc);
  const list = (key: string) => seqItems(getSeq(spec, key, doc), doc).map((n) => asMap(n)).filter((m): m is MapNode => m !== undefined);
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
