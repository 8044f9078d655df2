/**
 * Where things are in examples/ (computed from the text, so an edit to the examples moves them),
 * and the planted findings examples/README.md lists: what the editor tests ask and expect.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lineIndex } from './editorProcess';

/** The findings of examples/README.md's table, by file (codes sorted). */
export const PLANTED: Readonly<Record<string, readonly string[]>> = {
  'legacy/storefront-nodeport.yaml': ['node-port-conflict', 'yaml-syntax'],
  'platform/httproute.yaml': ['route-cross-namespace-without-grant'],
  'shop/cart.yaml': ['service-selects-nothing', 'target-port-unresolved'],
  'shop/frontend.yaml': ['node-port-conflict'],
  'shop/ingress.yaml': ['ingress-service-missing'],
};

export function examplePositions(root: string) {
  const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
  const frontend = read('shop/frontend.yaml');
  // The Service `frontend`: the second `name: frontend` at metadata level (the first is the Deployment's).
  const serviceName = lineIndex(frontend, '  name: frontend', 1);
  if (lineIndex(frontend, 'kind: Service') !== serviceName - 2) throw new Error('examples/shop/frontend.yaml changed: the Service frontend moved');
  return {
    read,
    /** 0-based lines. */
    serviceName,
    servicePort: lineIndex(frontend, '      port: 80'),
    ingressBackend: lineIndex(read('shop/ingress.yaml'), '                name: frontend'),
    routeBackend: lineIndex(read('platform/httproute.yaml'), '        - name: frontend'),
    cartSelector: lineIndex(read('shop/cart.yaml'), '    app: cart-servce'),
    legacyComment: read('legacy/storefront-nodeport.yaml').split('\n').findIndex((l) => l.trimStart().startsWith('//')),
    legacyNodePort: lineIndex(read('legacy/storefront-nodeport.yaml'), '      nodePort: 30080'),
    /** 1-based `file:line` of a `  name: NAME` metadata line, as the lens message names it. */
    nameLine: (file: string, name: string) => `${file}:${lineIndex(read(file), `  name: ${name}`) + 1}`,
  };
}

/** The hover on the Service frontend's `port: 80`: the chain to the Deployment's container port. */
export const HOVER_FACTS: readonly RegExp[] = [
  /`shop\/frontend` port `http`/,
  /port `80` → targetPort `http`/,
  /Deployment `shop\/frontend` \(3 replicas\).*container `web` port `8080`/,
];
