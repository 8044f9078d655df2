import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, covered, withCode, type TestFinding } from '../helpers/workspace';
import { service } from '../helpers/fixtures';

/** What the API server (Kubernetes v1.36) refuses in a networking.k8s.io/v1 Ingress on its own. */

const SERVICE = service('web', { app: 'web' }, { portName: 'http', targetPort: null });

/** An Ingress with the given spec (two-space indented under `spec:`), next to Service `web`. */
function ing(spec: string, o: { meta?: string; apiVersion?: string } = {}): Record<string, string> {
  return {
    'ing.yaml': `apiVersion: ${o.apiVersion ?? 'networking.k8s.io/v1'}
kind: Ingress
metadata:
  name: shop
${o.meta ?? ''}spec:
${spec.replace(/^\n/, '').replace(/^/gm, '  ').replace(/ +$/gm, '')}`,
    'svc.yaml': SERVICE,
  };
}

const path = (backend: string, p = '/') => `rules:
  - host: shop.example.com
    http:
      paths:
        - path: ${p}
          pathType: Prefix
          backend:
${backend.replace(/^/gm, '            ')}`;

const svcBackend = (port = 'number: 80', name = 'web') => `service:\n  name: ${name}\n  port:\n    ${port}`;

function covers(files: Record<string, string>, code: string): string[] {
  const list: TestFinding[] = withCode(analyze(files).findings, code);
  for (const f of list) assert.equal(f.severity, 'error', f.message);
  return list.map((f) => covered(files, f));
}

describe('ingress-rules-required', () => {
  test('neither defaultBackend nor rules is an error; either one alone is fine', () => {
    assert.deepEqual(covers(ing('ingressClassName: nginx\n'), 'ingress-rules-required'), ['spec']);
    assert.deepEqual(covers(ing('rules: []\n'), 'ingress-rules-required'), ['rules']);
    assert.deepEqual(covers(ing(`defaultBackend:\n  ${svcBackend().replace(/\n/g, '\n  ')}\n`), 'ingress-rules-required'), []);
    assert.deepEqual(covers(ing(path(svcBackend())), 'ingress-rules-required'), []);
  });
});

describe('ingress-paths-required', () => {
  test('http without paths is an error on `http`; a rule without http is fine', () => {
    assert.deepEqual(covers(ing('rules:\n  - host: a.example.com\n    http:\n      paths: []\n'), 'ingress-paths-required'), ['http']);
    assert.deepEqual(covers(ing('rules:\n  - host: a.example.com\n'), 'ingress-paths-required'), []);
  });

  test('paths written beside http: is reported on the stray key', () => {
    const files = ing(`rules:\n  - host: a.example.com\n    http:\n    paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          ${svcBackend().replace(/\n/g, '\n          ')}\n`);
    assert.deepEqual(covers(files, 'ingress-paths-required'), ['paths']);
  });
});

describe('ingress-host-invalid', () => {
  test('an IP, a port, uppercase or a bad wildcard is refused; DNS names and *.example.com pass', () => {
    const host = (h: string) => ing(`rules:\n  - host: ${h}\n    http:\n      paths:\n        - path: /\n          pathType: Prefix\n          backend:\n            ${svcBackend().replace(/\n/g, '\n            ')}\n`);
    for (const bad of ['10.0.0.1', 'shop.example.com:8080', 'Shop.example.com', 'shop.*.example.com', '"*"', 'shop_1.example.com']) {
      assert.deepEqual(covers(host(bad), 'ingress-host-invalid'), [bad], bad);
    }
    for (const ok of ['shop.example.com', '"*.example.com"', 'localhost']) assert.deepEqual(covers(host(ok), 'ingress-host-invalid'), [], ok);
    const [msg] = withCode(analyze(host('10.0.0.1')).findings, 'ingress-host-invalid');
    assert.match(msg!.message, /IP address/);
  });
});

describe('ingress-backend-invalid', () => {
  test('the Service name is required and a DNS-1035 label', () => {
    assert.deepEqual(covers(ing(path('service:\n  port:\n    number: 80')), 'ingress-backend-invalid'), ['service']);
    assert.deepEqual(covers(ing(path(svcBackend('number: 80', '2048-game'))), 'ingress-backend-invalid'), ['2048-game']);
  });

  test('exactly one of port name and number; the number 1–65535, the name an IANA port name', () => {
    assert.deepEqual(covers(ing(path('service:\n  name: web\n  port:\n    number: 80\n    name: http')), 'ingress-backend-invalid'), ['port']);
    assert.deepEqual(covers(ing(path('service:\n  name: web')), 'ingress-backend-invalid'), ['service']);
    assert.deepEqual(covers(ing(path(svcBackend('number: 0'))), 'ingress-backend-invalid'), ['port']);
    assert.deepEqual(covers(ing(path(svcBackend('number: 70000'))), 'ingress-backend-invalid'), ['70000']);
    assert.deepEqual(covers(ing(path(svcBackend('number: "80"'))), 'ingress-backend-invalid'), ['"80"']);
    assert.deepEqual(covers(ing(path(svcBackend('name: Http_Port'))), 'ingress-backend-invalid'), ['Http_Port']);
    assert.deepEqual(covers(ing(path(svcBackend('name: http'))), 'ingress-backend-invalid'), []);
  });

  test('service and resource are exclusive; a backend needs one; a resource backend alone is fine', () => {
    const resource = 'resource:\n  apiGroup: k8s.example.com\n  kind: StorageBucket\n  name: static';
    assert.deepEqual(covers(ing(path(`${svcBackend()}\n${resource}`)), 'ingress-backend-invalid'), ['resource']);
    assert.deepEqual(covers(ing(path(resource)), 'ingress-backend-invalid'), []);
    assert.deepEqual(covers(ing('rules:\n  - http:\n      paths:\n        - path: /\n          pathType: Prefix\n'), 'ingress-backend-invalid'), ['path']);
  });
});

describe('ingress-legacy-backend', () => {
  test('serviceName/servicePort in a networking.k8s.io/v1 Ingress is an error; in extensions/v1beta1 it is the form', () => {
    const legacy = 'serviceName: web\nservicePort: 80';
    const files = ing(path(legacy));
    assert.deepEqual(covers(files, 'ingress-legacy-backend'), ['serviceName']);
    assert.deepEqual(covers(files, 'ingress-backend-invalid'), []);
    const old = ing('rules:\n  - http:\n      paths:\n        - path: /\n          backend:\n            serviceName: web\n            servicePort: 80\n', { apiVersion: 'extensions/v1beta1' });
    assert.deepEqual(analyze(old).findings.filter((f) => f.file === 'ing.yaml').map((f) => f.code), []);
  });
});

describe('ingress-class-name-invalid', () => {
  test('ingressClassName must be a DNS subdomain and agree with the ingress.class annotation', () => {
    assert.deepEqual(covers(ing(`ingressClassName: Nginx_Public\n${path(svcBackend())}`), 'ingress-class-name-invalid'), ['Nginx_Public']);
    const both = (ann: string) => ing(`ingressClassName: nginx\n${path(svcBackend())}`, { meta: `  annotations:\n    kubernetes.io/ingress.class: ${ann}\n` });
    assert.deepEqual(covers(both('traefik'), 'ingress-class-name-invalid'), ['traefik']);
    assert.deepEqual(covers(both('nginx'), 'ingress-class-name-invalid'), []);
  });
});

describe('ingress-tls-invalid', () => {
  test('TLS hosts are DNS names or wildcards (an IP is accepted there); secretName a valid name', () => {
    const tls = (hosts: string, secret = 'shop-tls') => ing(`tls:\n  - hosts: [${hosts}]\n    secretName: ${secret}\n${path(svcBackend())}`);
    assert.deepEqual(covers(tls('"*.example.com", shop.example.com, 10.0.0.1'), 'ingress-tls-invalid'), []);
    assert.deepEqual(covers(tls('"shop.example.com:443"'), 'ingress-tls-invalid'), ['"shop.example.com:443"']);
    assert.deepEqual(covers(tls('shop.example.com', 'Shop_TLS'), 'ingress-tls-invalid'), ['Shop_TLS']);
  });
});

describe('placeholders', () => {
  test('hosts and names left to substitute (__HOST__, <your domain>) are not checked', () => {
    const files = ing(`tls:\n  - hosts: [__INGRESS_HOST__]\n    secretName: __INGRESS_SECRET__\nrules:\n  - host: registry.<your domain>\n    http:\n      paths:\n        - path: /\n          pathType: Prefix\n          backend:\n            ${svcBackend().replace(/\n/g, '\n            ')}\n`);
    const { findings } = analyze(files);
    assert.deepEqual(findings.filter((f) => f.file === 'ing.yaml').map((f) => f.code), []);
  });
});
