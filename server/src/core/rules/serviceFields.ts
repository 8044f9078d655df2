import { isPlaceholder } from '../facts/placeholders';
import { describe, type KeyedField, type Service } from '../model/resources';
import type { ScalarRef } from '../model/yamlAccess';
import { ipFamily, isCidr, specialIpReason } from './addresses';
import type { Reporter } from './context';
import { SERVICE_TYPES, isValidPortNumber, qualifiedName } from './validation';

/**
 * The rest of the API server's Service validation (Kubernetes v1.36, pkg/apis/core/validation
 * ValidateService, after the v1 defaulting and the create strategy that copies `clusterIP` into
 * `clusterIPs`): session affinity, cluster IPs and IP families, external IPs, the fields only a
 * LoadBalancer may carry, traffic policy values, appProtocol and healthCheckNodePort.
 */
export function checkServiceFields(svc: Service, r: Reporter): void {
  const who = describe(svc);
  const f = svc.fields;
  checkAffinity(svc, who, r);
  checkClusterIPs(svc, who, r);
  checkFamilies(svc, who, r);
  for (const [i, ip] of (f.externalIPs?.items ?? []).entries()) {
    const v = String(ip.value ?? '');
    if (isPlaceholder(v)) continue;
    const reason = !ipFamily(v) ? `is not an IP address${/[a-z]/i.test(v) && !v.includes(':') ? ' (externalIPs takes addresses, not host names)' : ''}` : specialIpReason(v);
    if (reason) r.report('external-ip-invalid', ip.span, `${who}: externalIPs[${i}] \`${v}\` ${reason}; the API server rejects it.`);
  }
  const typeKnown = SERVICE_TYPES.has(svc.serviceType);
  const lb = svc.serviceType === 'LoadBalancer';
  if (typeKnown) checkLoadBalancerFields(svc, who, lb, r);
  checkPolicies(svc, who, typeKnown, r);
  for (const p of svc.ports) {
    const ap = p.appProtocol;
    if (!ap || ap.value === null || isPlaceholder(ap.value)) continue;
    const reason = typeof ap.value === 'string' ? qualifiedName(ap.value) : 'must be a string';
    if (reason) {
      r.report('app-protocol-invalid', ap.span,
        `${who}: appProtocol \`${String(ap.value)}\` is not a valid name (an IANA name such as \`http\`, or a prefixed one such as \`example.com/proto\`): ${reason}.`);
    }
  }
}

/** Written with a value to check (not empty, not a placeholder to substitute). */
const set = (f: KeyedField | undefined): f is KeyedField & { value: ScalarRef } =>
  !!f && !!f.value && f.value.value !== null && f.value.value !== '' && !isPlaceholder(f.value.value);

function checkAffinity(svc: Service, who: string, r: Reporter): void {
  const { sessionAffinity: sa, affinityTimeout: t } = svc.fields;
  if (set(sa) && sa.value.value !== 'None' && sa.value.value !== 'ClientIP') {
    const v = String(sa.value.value);
    const near = ['None', 'ClientIP'].find((x) => x.toLowerCase() === v.toLowerCase());
    r.report('session-affinity-invalid', sa.value.span, `${who}: sessionAffinity \`${v}\` is not one of None, ClientIP${near ? ` (it is case-sensitive: \`${near}\`)` : ''}.`,
      near ? { data: { type: 'replace', span: r.rangeOf(svc.uri, sa.value.span)!, newText: near, title: `Change to ${near}` } } : {});
    return;
  }
  // With None the defaulting drops sessionAffinityConfig; with ClientIP the timeout must be 1–86400.
  if (sa?.value?.value === 'ClientIP' && set(t)) {
    const v = t.value.value;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 86400) {
      r.report('session-affinity-invalid', t.value.span,
        `${who}: sessionAffinityConfig.clientIP.timeoutSeconds ${typeof v === 'string' ? `"${v}" (a string)` : String(v)} must be an integer greater than 0 and at most 86400 (one day).`);
    }
  }
}

function checkClusterIPs(svc: Service, who: string, r: Reporter): void {
  const { clusterIP, clusterIPs } = svc.fields;
  const items = clusterIPs?.items ?? [];
  if (svc.serviceType === 'ExternalName') {
    if (set(clusterIP)) r.report('cluster-ip-invalid', clusterIP.keySpan, `${who} is of type ExternalName: \`clusterIP\` may not be set (an ExternalName Service is a DNS alias with no address).`);
    else if (items.length) r.report('cluster-ip-invalid', clusterIPs!.keySpan, `${who} is of type ExternalName: \`clusterIPs\` may not be set.`);
    return;
  }
  if (items.some((ip) => isPlaceholder(ip.value))) return;
  const single = set(clusterIP) ? String(clusterIP.value.value) : undefined;
  if (single !== undefined && single !== 'None' && !ipFamily(single)) {
    r.report('cluster-ip-invalid', clusterIP!.value!.span, `${who}: clusterIP \`${single}\` must be empty, \`None\`, or a valid IP address.`);
    return;
  }
  if (!items.length) return;
  if (single !== undefined && String(items[0]!.value) !== single) {
    r.report('cluster-ip-invalid', items[0]!.span, `${who}: the first value of clusterIPs (\`${String(items[0]!.value)}\`) must match clusterIP \`${single}\`.`,
      { related: [{ uri: svc.uri, span: clusterIP!.value!.span, message: 'clusterIP' }] });
    return;
  }
  let bad = false;
  items.forEach((ip, i) => {
    const v = String(ip.value ?? '');
    if (v === 'None') {
      if (i > 0 || items.length > 1) {
        bad = true;
        r.report('cluster-ip-invalid', ip.span, `${who}: \`None\` (headless) must be the first and only value of clusterIPs.`);
      }
    } else if (!ipFamily(v)) {
      bad = true;
      r.report('cluster-ip-invalid', ip.span, `${who}: clusterIPs[${i}] \`${v}\` is not a valid IP address.`);
    }
  });
  if (bad) return;
  if (items.length > 2) {
    r.report('cluster-ip-invalid', clusterIPs!.keySpan, `${who}: clusterIPs may hold at most 2 values (one IPv4 and one IPv6), not ${items.length}.`);
  } else if (items.length === 2 && ipFamily(String(items[0]!.value)) === ipFamily(String(items[1]!.value))) {
    r.report('cluster-ip-invalid', items[1]!.span, `${who}: clusterIPs may hold one address of each IP family; both are ${ipFamily(String(items[0]!.value))}.`);
  }
  if (items[0]!.value === 'None') return;
  const families = svc.fields.ipFamilies?.items ?? [];
  items.forEach((ip, i) => {
    const want = families[i]?.value;
    const got = ipFamily(String(ip.value));
    if ((want === 'IPv4' || want === 'IPv6') && got !== want) {
      r.report('cluster-ip-invalid', ip.span, `${who}: clusterIPs[${i}] \`${String(ip.value)}\` is ${got}, but ipFamilies[${i}] is ${want}.`,
        { related: [{ uri: svc.uri, span: families[i]!.span, message: `ipFamilies[${i}]` }] });
    }
  });
}

const POLICIES = ['SingleStack', 'PreferDualStack', 'RequireDualStack'];

function checkFamilies(svc: Service, who: string, r: Reporter): void {
  const { ipFamilies, ipFamilyPolicy, clusterIPs, clusterIP } = svc.fields;
  const families = ipFamilies?.items ?? [];
  if (svc.serviceType === 'ExternalName') {
    if (families.length) r.report('ip-family-invalid', ipFamilies!.keySpan, `${who} is of type ExternalName: \`ipFamilies\` may not be set.`);
    if (set(ipFamilyPolicy)) r.report('ip-family-invalid', ipFamilyPolicy.keySpan, `${who} is of type ExternalName: \`ipFamilyPolicy\` may not be set.`);
    return;
  }
  const seen = new Set<unknown>();
  for (const [i, fam] of families.entries()) {
    if (fam.value !== 'IPv4' && fam.value !== 'IPv6') {
      r.report('ip-family-invalid', fam.span, `${who}: ipFamilies[${i}] \`${String(fam.value)}\` is not one of IPv4, IPv6 (case-sensitive).`);
    } else if (seen.has(fam.value)) {
      r.report('ip-family-invalid', fam.span, `${who}: ipFamilies lists ${fam.value} twice; it holds at most one of each family.`);
    }
    seen.add(fam.value);
  }
  const policy = set(ipFamilyPolicy) ? ipFamilyPolicy.value.value : undefined;
  if (policy !== undefined && !POLICIES.includes(String(policy))) {
    r.report('ip-family-invalid', ipFamilyPolicy!.value!.span, `${who}: ipFamilyPolicy \`${String(policy)}\` is not one of ${POLICIES.join(', ')}.`);
    return;
  }
  // On create an unset policy is SingleStack (RequireDualStack for a headless Service without selector).
  const headlessNoSelector = (clusterIP?.value?.value === 'None' || clusterIPs?.items[0]?.value === 'None') && !svc.selector;
  const effective = policy ?? (headlessNoSelector ? 'RequireDualStack' : 'SingleStack');
  if (effective !== 'SingleStack') return;
  const twoIPs = (clusterIPs?.items.length ?? 0) === 2 && ipFamily(String(clusterIPs!.items[0]!.value)) !== ipFamily(String(clusterIPs!.items[1]!.value));
  const what = families.length === 2 && seen.size === 2 ? 'two IP families' : twoIPs ? 'two cluster IPs' : undefined;
  if (what) {
    r.report('ip-family-invalid', ipFamilyPolicy?.value?.span ?? (families.length === 2 ? ipFamilies!.keySpan : clusterIPs!.keySpan),
      `${who} asks for ${what} with ipFamilyPolicy ${policy === undefined ? 'unset (SingleStack on create)' : 'SingleStack'}; it must be PreferDualStack or RequireDualStack.`);
  }
}

function checkLoadBalancerFields(svc: Service, who: string, lb: boolean, r: Reporter): void {
  const f = svc.fields;
  const notLB = (field: KeyedField, name: string) => r.report('load-balancer-field-invalid', field.keySpan,
    `${who}: \`${name}\` may only be used when type is LoadBalancer; this Service is ${svc.serviceType}.`);
  const ranges = f.loadBalancerSourceRanges;
  if (ranges && ranges.items.length) {
    if (!lb) notLB(ranges, 'loadBalancerSourceRanges');
    for (const item of ranges.items) {
      const v = String(item.value ?? '').trim();
      if (!isCidr(v) && !isPlaceholder(v)) r.report('load-balancer-field-invalid', item.span, `${who}: loadBalancerSourceRanges entry \`${v}\` is not a CIDR (e.g. \`10.240.0.0/24\`).`);
    }
  } else if (f.sourceRangesAnnotation) {
    const ann = f.sourceRangesAnnotation;
    if (!lb) notLB(ann, 'service.beta.kubernetes.io/load-balancer-source-ranges');
    const text = String(ann.value?.value ?? '').trim();
    const badOnes = text ? text.split(',').map((x) => x.trim()).filter((x) => !isCidr(x) && !isPlaceholder(x)) : [];
    if (badOnes.length) r.report('load-balancer-field-invalid', ann.value!.span, `${who}: the source-ranges annotation must be a comma-separated list of CIDRs; \`${badOnes[0]}\` is not one.`);
  }
  if (f.allocateLoadBalancerNodePorts?.value && f.allocateLoadBalancerNodePorts.value.value !== null && !lb) notLB(f.allocateLoadBalancerNodePorts, 'allocateLoadBalancerNodePorts');
  const cls = f.loadBalancerClass;
  if (cls?.value && cls.value.value !== null) {
    if (!lb) notLB(cls, 'loadBalancerClass');
    else {
      const reason = typeof cls.value.value === 'string' ? qualifiedName(cls.value.value) : 'must be a string';
      if (reason) r.report('load-balancer-field-invalid', cls.value.span, `${who}: loadBalancerClass \`${String(cls.value.value)}\` is not a valid name (e.g. \`example.com/internal-vip\`): ${reason}.`);
    }
  }
}

const TRAFFIC_DISTRIBUTION = ['PreferClose', 'PreferSameZone', 'PreferSameNode'];

function checkPolicies(svc: Service, who: string, typeKnown: boolean, r: Reporter): void {
  const value = (f: KeyedField | undefined, name: string, allowed: readonly string[]) => {
    if (!set(f) || allowed.includes(String(f.value.value))) return;
    const v = String(f.value.value);
    const near = allowed.find((x) => x.toLowerCase() === v.toLowerCase());
    r.report('traffic-policy-invalid', f.value.span, `${who}: ${name} \`${v}\` is not one of ${allowed.join(', ')}${near ? ` (it is case-sensitive: \`${near}\`)` : ''}.`,
      near ? { data: { type: 'replace', span: r.rangeOf(svc.uri, f.value.span)!, newText: near, title: `Change to ${near}` } } : {});
  };
  const external = svc.serviceType === 'NodePort' || svc.serviceType === 'LoadBalancer' || svc.externalIPs.length > 0;
  // Off an externally reachable Service, external-traffic-policy-not-allowed already says the field must go.
  const etp = svc.externalTrafficPolicy;
  if (external && etp && etp.value !== null && etp.value !== '' && etp.value !== 'Cluster' && etp.value !== 'Local') {
    value({ keySpan: svc.externalTrafficPolicyKeySpan ?? etp.span, value: etp, items: [] }, 'externalTrafficPolicy', ['Cluster', 'Local']);
  }
  value(svc.fields.internalTrafficPolicy, 'internalTrafficPolicy', ['Cluster', 'Local']);
  value(svc.fields.trafficDistribution, 'trafficDistribution', TRAFFIC_DISTRIBUTION);

  const hc = svc.fields.healthCheckNodePort;
  if (!set(hc) || hc.value.value === 0 || !typeKnown) return;
  const v = hc.value.value;
  if (!(svc.serviceType === 'LoadBalancer' && etp?.value === 'Local')) {
    r.report('health-check-node-port-invalid', hc.keySpan,
      `${who}: healthCheckNodePort may only be set when type is LoadBalancer and externalTrafficPolicy is Local (this Service is ${svc.serviceType}${svc.serviceType === 'LoadBalancer' ? ` with externalTrafficPolicy ${String(etp?.value ?? 'Cluster')}` : ''}).`);
  } else if (!isValidPortNumber(v)) {
    r.report('health-check-node-port-invalid', hc.value.span, `${who}: healthCheckNodePort ${typeof v === 'string' ? `"${v}" (a string)` : String(v)} must be an integer in 1–65535.`);
  } else {
    const { min, max } = r.settings.nodePortRange;
    if (v < min || v > max) r.report('health-check-node-port-invalid', hc.value.span, `${who}: healthCheckNodePort ${v} is outside the nodePort range ${min}–${max}; the API server cannot allocate it.`);
  }
}
