import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverAt, yaml } from '../helpers/workspace';

const SHOP = yaml(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  tls:
    - hosts: [shop.example.com]
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /api/cart
            pathType: Prefix
            backend:
              service:
                name: cart
                port:
                  number: 80
    - http:
        paths:
          - path: /healthz
            pathType: Exact
            backend:
              service:
                name: cart
                port:
                  number: 80
`, `
apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: shop
spec:
  selector:
    app: cart
  ports:
    - port: 80
`);

test('hover on an Ingress path: an example request that reaches it (https for a tls host) and where it goes', () => {
  const md = hoverAt({ 'ing.yaml': SHOP }, 'ing.yaml', '/api/cart')!;
  assert.match(md, /Ingress path\*\* `\/api\/cart` \(Prefix\)/);
  assert.match(md, /curl https:\/\/shop\.example\.com\/api\/cart/);
  assert.match(md, /Service `shop\/cart`|`cart`/);
});

test('hover on a path of a rule without host: the controller address placeholder, explained', () => {
  const md = hoverAt({ 'ing.yaml': SHOP }, 'ing.yaml', '/healthz')!;
  assert.match(md, /curl http:\/\/INGRESS_IP\/healthz/);
  assert.match(md, /any host name reaches it/);
});

const GATEWAY = yaml(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
  namespace: shop
spec:
  gatewayClassName: example
  listeners:
    - name: https
      port: 443
      protocol: HTTPS
      hostname: "*.shop.example.com"
`, `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: api
  namespace: shop
spec:
  parentRefs:
    - name: public
  hostnames: [beta.shop.example.com]
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /v2
          method: POST
          headers:
            - name: x-canary
              value: "true"
      backendRefs:
        - name: cart
          port: 80
`);

test('hover on an HTTPRoute match: a curl with the method and header the match needs, through the attached listener', () => {
  const md = hoverAt({ 'gw.yaml': GATEWAY }, 'gw.yaml', 'type: PathPrefix', 2)!;
  assert.match(md, /HTTPRoute\*\* `shop\/api`\*\* rule 1, match 1|HTTPRoute `shop\/api`\*\* rule 1, match 1/);
  assert.match(md, /curl -X POST -H 'x-canary: true' https:\/\/beta\.shop\.example\.com\/v2/);
});
