import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, covered, withCode, type TestFinding } from '../helpers/workspace';
import { dedent, service, workload } from '../helpers/fixtures';

/**
 * The Service validation of the API server (Kubernetes v1.36) beyond the shape rules: each case
 * is a manifest `kubectl apply` refuses, next to the closest one it accepts.
 */

function only(findings: readonly TestFinding[], code: string): TestFinding[] {
  return withCode(findings, code);
}

/** A selector-backed Service with the given spec lines (two-space indented under `spec:`). */
function svc(spec: string, meta = ''): Record<string, string> {
  return {
    'svc.yaml': service('web', null, { meta: dedent(meta), spec: `selector:\n  app: web\n${spec.replace(/^\n/, '')}`, ports: '' }),
    'pods.yaml': workload('Pod', 'web', { app: 'web' }, { image: 'web' }),
  };
}

const PORTS = 'ports:\n  - name: http\n    port: 80\n    targetPort: http\n';

/** The texts the findings of `code` cover. */
function covers(files: Record<string, string>, code: string): string[] {
  return only(analyze(files).findings, code).map((f) => covered(files, f));
}

function errorsOf(files: Record<string, string>, code: string): TestFinding[] {
  const list = only(analyze(files).findings, code);
  for (const f of list) assert.equal(f.severity, 'error', f.message);
  return list;
}

describe('session-affinity-invalid', () => {
  test('a value other than None or ClientIP is an error on the value, with the case-sensitive spelling offered', () => {
    const files = svc(`sessionAffinity: clientIP\n${PORTS}`);
    const [f] = errorsOf(files, 'session-affinity-invalid');
    assert.equal(covered(files, f!), 'clientIP');
    assert.match(f!.message, /`ClientIP`/);
    assert.equal(f!.data?.type === 'replace' && f!.data.newText, 'ClientIP');
  });

  test('a ClientIP timeout must be 1–86400 seconds; with None the config is dropped by defaulting', () => {
    const cfg = (affinity: string, t: string) => svc(`sessionAffinity: ${affinity}\nsessionAffinityConfig:\n  clientIP:\n    timeoutSeconds: ${t}\n${PORTS}`);
    assert.deepEqual(covers(cfg('ClientIP', '0'), 'session-affinity-invalid'), ['0']);
    assert.deepEqual(covers(cfg('ClientIP', '86401'), 'session-affinity-invalid'), ['86401']);
    assert.deepEqual(covers(cfg('ClientIP', '86400'), 'session-affinity-invalid'), []);
    assert.deepEqual(covers(cfg('ClientIP', '1'), 'session-affinity-invalid'), []);
    assert.deepEqual(covers(cfg('None', '0'), 'session-affinity-invalid'), []);
  });
});

describe('cluster-ip-invalid', () => {
  test('clusterIP must be empty, None or an address; a host name is refused', () => {
    assert.deepEqual(covers(svc(`clusterIP: web.local\n${PORTS}`), 'cluster-ip-invalid'), ['web.local']);
    for (const ok of ['10.96.0.10', 'fd00::10', 'None', '""']) assert.deepEqual(covers(svc(`clusterIP: ${ok}\n${PORTS}`), 'cluster-ip-invalid'), [], ok);
  });

  test('clusterIPs[0] must match clusterIP, None must be alone, one address per family, at most two', () => {
    assert.deepEqual(covers(svc(`clusterIP: 10.96.0.10\nclusterIPs: [10.96.0.11]\n${PORTS}`), 'cluster-ip-invalid'), ['10.96.0.11']);
    assert.deepEqual(covers(svc(`clusterIPs: [None, 10.96.0.11]\n${PORTS}`), 'cluster-ip-invalid'), ['None']);
    assert.deepEqual(covers(svc(`clusterIPs: [10.96.0.10, 10.96.0.11]\nipFamilyPolicy: PreferDualStack\n${PORTS}`), 'cluster-ip-invalid'), ['10.96.0.11']);
    assert.equal(covers(svc(`clusterIPs: [10.96.0.10, "fd00::1", 10.96.0.12]\nipFamilyPolicy: PreferDualStack\n${PORTS}`), 'cluster-ip-invalid').length, 1);
    assert.deepEqual(covers(svc(`clusterIP: 10.96.0.10\nclusterIPs: [10.96.0.10, "fd00::1"]\nipFamilyPolicy: RequireDualStack\n${PORTS}`), 'cluster-ip-invalid'), []);
  });

  test('an address of the other family than ipFamilies says is refused', () => {
    const files = svc(`clusterIPs: ["fd00::10"]\nipFamilies: [IPv4]\n${PORTS}`);
    assert.deepEqual(covers(files, 'cluster-ip-invalid'), ['"fd00::10"']);
  });

  test('an ExternalName Service may not have a clusterIP', () => {
    const files = { 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n  externalName: db.example.com\n  clusterIP: None\n' };
    assert.deepEqual(covers(files, 'cluster-ip-invalid'), ['clusterIP']);
  });
});

describe('ip-family-invalid', () => {
  test('unknown families and policies, and a family twice, are errors', () => {
    assert.deepEqual(covers(svc(`ipFamilies: [ipv4]\n${PORTS}`), 'ip-family-invalid'), ['ipv4']);
    assert.deepEqual(covers(svc(`ipFamilies: [IPv4, IPv4]\nipFamilyPolicy: PreferDualStack\n${PORTS}`), 'ip-family-invalid'), ['IPv4']);
    assert.deepEqual(covers(svc(`ipFamilyPolicy: DualStack\n${PORTS}`), 'ip-family-invalid'), ['DualStack']);
  });

  test('two families need PreferDualStack or RequireDualStack; an unset policy is SingleStack on create', () => {
    assert.deepEqual(covers(svc(`ipFamilies: [IPv4, IPv6]\n${PORTS}`), 'ip-family-invalid'), ['ipFamilies']);
    assert.deepEqual(covers(svc(`ipFamilyPolicy: SingleStack\nipFamilies: [IPv4, IPv6]\n${PORTS}`), 'ip-family-invalid'), ['SingleStack']);
    assert.deepEqual(covers(svc(`ipFamilyPolicy: RequireDualStack\nipFamilies: [IPv6, IPv4]\n${PORTS}`), 'ip-family-invalid'), []);
    // Headless without a selector defaults to RequireDualStack.
    const headless = { 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: h\nspec:\n  clusterIP: None\n  ipFamilies: [IPv4, IPv6]\n' };
    assert.deepEqual(covers(headless, 'ip-family-invalid'), []);
  });

  test('an ExternalName Service may not set ipFamilies or ipFamilyPolicy', () => {
    const files = { 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n  externalName: db.example.com\n  ipFamilyPolicy: SingleStack\n  ipFamilies: [IPv4]\n' };
    assert.deepEqual(covers(files, 'ip-family-invalid').sort(), ['ipFamilies', 'ipFamilyPolicy']);
  });
});

describe('external-ip-invalid', () => {
  test('host names, loopback, unspecified and link-local addresses are refused; ordinary addresses pass', () => {
    const files = svc(`externalIPs: [lb.example.com, 127.0.0.1, 0.0.0.0, 169.254.1.1, "::1", "fe80::1", 203.0.113.7, "2001:db8::7", 224.0.0.5]\n${PORTS}`);
    const list = errorsOf(files, 'external-ip-invalid');
    assert.deepEqual(list.map((f) => covered(files, f)), ['lb.example.com', '127.0.0.1', '0.0.0.0', '169.254.1.1', '"::1"', '"fe80::1"', '224.0.0.5']);
    assert.match(list[0]!.message, /not host names/);
    assert.match(list[1]!.message, /loopback/);
  });
});

describe('load-balancer-field-invalid', () => {
  test('LoadBalancer-only fields on a ClusterIP or NodePort Service are errors on the key', () => {
    assert.deepEqual(covers(svc(`loadBalancerSourceRanges: [10.0.0.0/8]\n${PORTS}`), 'load-balancer-field-invalid'), ['loadBalancerSourceRanges']);
    assert.deepEqual(covers(svc(`type: NodePort\nallocateLoadBalancerNodePorts: false\n${PORTS}`), 'load-balancer-field-invalid'), ['allocateLoadBalancerNodePorts']);
    assert.deepEqual(covers(svc(`loadBalancerClass: example.com/vip\n${PORTS}`), 'load-balancer-field-invalid'), ['loadBalancerClass']);
    const ann = svc(PORTS, '  annotations:\n    service.beta.kubernetes.io/load-balancer-source-ranges: 10.0.0.0/8\n');
    assert.deepEqual(covers(ann, 'load-balancer-field-invalid'), ['service.beta.kubernetes.io/load-balancer-source-ranges']);
  });

  test('on a LoadBalancer: source ranges must be CIDRs (space padding tolerated) and the class a qualified name', () => {
    const lb = (extra: string) => svc(`type: LoadBalancer\n${extra}\n${PORTS}`);
    assert.deepEqual(covers(lb('loadBalancerSourceRanges: [10.0.0.0/8, 10.1.2.3, " 192.168.0.0/16 "]'), 'load-balancer-field-invalid'), ['10.1.2.3']);
    assert.deepEqual(covers(lb('loadBalancerClass: "example.com/internal vip"'), 'load-balancer-field-invalid'), ['"example.com/internal vip"']);
    assert.deepEqual(covers(lb('loadBalancerClass: example.com/internal-vip\nallocateLoadBalancerNodePorts: false\nloadBalancerSourceRanges: ["2001:db8::/32"]'), 'load-balancer-field-invalid'), []);
  });
});

describe('traffic-policy-invalid', () => {
  test('values of v1.36: Cluster/Local, and PreferClose/PreferSameZone/PreferSameNode', () => {
    assert.deepEqual(covers(svc(`type: NodePort\nexternalTrafficPolicy: local\n${PORTS}`), 'traffic-policy-invalid'), ['local']);
    assert.deepEqual(covers(svc(`internalTrafficPolicy: Node\n${PORTS}`), 'traffic-policy-invalid'), ['Node']);
    assert.deepEqual(covers(svc(`trafficDistribution: PreferZone\n${PORTS}`), 'traffic-policy-invalid'), ['PreferZone']);
    for (const ok of ['PreferClose', 'PreferSameZone', 'PreferSameNode']) assert.deepEqual(covers(svc(`trafficDistribution: ${ok}\n${PORTS}`), 'traffic-policy-invalid'), [], ok);
    assert.deepEqual(covers(svc(`type: LoadBalancer\nexternalTrafficPolicy: Local\ninternalTrafficPolicy: Local\n${PORTS}`), 'traffic-policy-invalid'), []);
  });

  test('a wrong externalTrafficPolicy on a ClusterIP Service is only external-traffic-policy-not-allowed, as the API says', () => {
    const { findings } = analyze(svc(`externalTrafficPolicy: Nowhere\n${PORTS}`));
    assert.deepEqual(findings.map((f) => f.code), ['external-traffic-policy-not-allowed']);
  });
});

describe('app-protocol-invalid', () => {
  test('any IANA or prefixed name passes; spaces, a bare slash or two slashes do not', () => {
    const port = (ap: string) => svc(`ports:\n  - name: http\n    port: 80\n    targetPort: http\n    appProtocol: ${ap}\n`);
    for (const ok of ['http', 'kubernetes.io/h2c', 'example.com/my-proto', 'HTTP2']) assert.deepEqual(covers(port(ok), 'app-protocol-invalid'), [], ok);
    for (const bad of ['"my proto"', 'example.com/a/b', '/grpc']) assert.deepEqual(covers(port(bad), 'app-protocol-invalid'), [bad], bad);
  });
});

describe('health-check-node-port-invalid', () => {
  test('only a LoadBalancer with externalTrafficPolicy Local may set it, within the nodePort range', () => {
    assert.deepEqual(covers(svc(`type: LoadBalancer\nhealthCheckNodePort: 32000\n${PORTS}`), 'health-check-node-port-invalid'), ['healthCheckNodePort']);
    assert.deepEqual(covers(svc(`type: NodePort\nexternalTrafficPolicy: Local\nhealthCheckNodePort: 32000\n${PORTS}`), 'health-check-node-port-invalid'), ['healthCheckNodePort']);
    assert.deepEqual(covers(svc(`type: LoadBalancer\nexternalTrafficPolicy: Local\nhealthCheckNodePort: 80\n${PORTS}`), 'health-check-node-port-invalid'), ['80']);
    assert.deepEqual(covers(svc(`type: LoadBalancer\nexternalTrafficPolicy: Local\nhealthCheckNodePort: 70000\n${PORTS}`), 'health-check-node-port-invalid'), ['70000']);
    assert.deepEqual(covers(svc(`type: LoadBalancer\nexternalTrafficPolicy: Local\nhealthCheckNodePort: 32000\n${PORTS}`), 'health-check-node-port-invalid'), []);
  });
});

describe('placeholders', () => {
  test('values written to be substituted are not checked as addresses', () => {
    assert.deepEqual(covers(svc(`externalIPs: ["\${EXTERNAL_IP}", __LB_IP__]\n${PORTS}`), 'external-ip-invalid'), []);
  });
});
