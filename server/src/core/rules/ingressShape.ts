import { isPlaceholder } from '../facts/placeholders';
import { describe, type Ingress, type IngressBackendShape } from '../model/resources';
import { ipFamily } from './addresses';
import type { Reporter } from './context';
import { dns1035Label, dns1123Subdomain, ianaSvcName, isValidPortNumber, wildcardDns1123Subdomain } from './validation';

/**
 * What the API server rejects in a networking.k8s.io/v1 Ingress on its own (Kubernetes v1.36,
 * pkg/apis/networking/validation ValidateIngressCreate): an empty spec, rules without paths, host
 * names, backends, the class name and TLS hosts. The v1beta1 forms are no longer served, so only
 * their paths are checked (rules/ingressRules.ts).
 */
export function checkIngressShape(ing: Ingress, r: Reporter): void {
  if (ing.legacy) return;
  const who = describe(ing);
  const s = ing.shape;
  if (s.ruleCount === 0 && !s.hasDefaultBackend) {
    r.report('ingress-rules-required', s.rulesKeySpan ?? s.specKeySpan ?? ing.nameRef?.span ?? ing.kindSpan,
      `${who} has neither \`defaultBackend\` nor \`rules\`: the API server requires one of them.`);
  }
  for (const rule of s.rules) {
    const host = rule.host?.value;
    if (host && host.value !== null && host.value !== '' && !isPlaceholder(host.value)) {
      const reason = hostReason(host.value);
      if (reason) r.report('ingress-host-invalid', host.span, `${who}: host \`${String(host.value)}\` ${reason}.`);
    }
    if (rule.httpKeySpan && rule.pathCount === 0) {
      r.report('ingress-paths-required', rule.httpKeySpan, `${who}: the rule for ${hostText(host?.value)} has \`http\` but no \`paths\`; the API server requires at least one path.`);
    } else if (rule.strayPathsKeySpan) {
      r.report('ingress-paths-required', rule.strayPathsKeySpan,
        `${who}: \`paths\` is written beside \`http:\` instead of under it, so \`http\` has no paths (and \`paths\` is an unknown field); indent it under \`http:\`.`);
    }
  }
  for (const b of s.backends) checkBackendShape(b, who, r);
  const cls = s.ingressClassName?.value;
  if (cls && cls.value !== null && !isPlaceholder(cls.value)) {
    const reason = typeof cls.value === 'string' ? dns1123Subdomain(cls.value) : 'must be a string';
    if (reason) r.report('ingress-class-name-invalid', cls.span, `${who}: ingressClassName \`${String(cls.value)}\` is not a valid IngressClass name: it ${reason}.`);
    const ann = s.classAnnotation?.value;
    if (!reason && ann && ann.value !== null && String(ann.value) !== cls.value) {
      r.report('ingress-class-name-invalid', ann.span,
        `${who}: the \`kubernetes.io/ingress.class\` annotation (\`${String(ann.value)}\`) must match ingressClassName \`${String(cls.value)}\` when both are set; the API server rejects the Ingress on create.`,
        { related: [{ uri: ing.uri, span: cls.span, message: 'ingressClassName' }] });
    }
  }
  for (const [i, tls] of s.tls.entries()) {
    for (const h of tls.hosts) {
      const v = String(h.value ?? '');
      if (isPlaceholder(v)) continue;
      const reason = v.includes('*') ? wildcardDns1123Subdomain(v) : dns1123Subdomain(v);
      if (reason) r.report('ingress-tls-invalid', h.span, `${who}: tls[${i}] host \`${v}\` is not a valid DNS name: it ${reason}.`);
    }
    const secret = tls.secretName?.value;
    if (secret && typeof secret.value === 'string' && secret.value !== '' && !isPlaceholder(secret.value)) {
      const reason = dns1123Subdomain(secret.value);
      if (reason) r.report('ingress-tls-invalid', secret.span, `${who}: tls[${i}] secretName \`${secret.value}\` is not a valid Secret name: it ${reason}.`);
    }
  }
}

const hostText = (v: unknown) => (typeof v === 'string' && v ? `\`${v}\`` : 'every host');

/** Why a rule host is refused: an IP, a port, a bad wildcard or not a DNS name. */
function hostReason(v: unknown): string | undefined {
  if (typeof v !== 'string') return 'must be a string';
  if (ipFamily(v)) return 'is an IP address; a rule host must be a DNS name (leave `host` out to match every host)';
  if (/:\d+$/.test(v)) return 'includes a port; a rule host is a DNS name only (the port is the ingress controller\'s)';
  if (v.includes('*')) {
    const w = wildcardDns1123Subdomain(v);
    return w ? `is not a valid wildcard host: ${w}` : undefined;
  }
  const d = dns1123Subdomain(v);
  return d ? `is not a valid DNS name: it ${d}` : undefined;
}

function checkBackendShape(b: IngressBackendShape, who: string, r: Reporter): void {
  if (b.legacyKeySpan) {
    r.report('ingress-legacy-backend', b.legacyKeySpan,
      `${who}: ${b.where} uses \`serviceName\`/\`servicePort\`, the extensions/v1beta1 form; networking.k8s.io/v1 wants \`service: {name, port: {number | name}}\`, and the API server rejects the unknown fields.`);
    if (!b.service) return;
  }
  if (b.service && b.resourceKeySpan) {
    r.report('ingress-backend-invalid', b.resourceKeySpan, `${who}: ${b.where} sets both \`service\` and \`resource\`; a backend is one or the other.`);
    return;
  }
  if (!b.service) {
    if (!b.resourceKeySpan) r.report('ingress-backend-invalid', b.keySpan, `${who}: ${b.where} has no \`service\` (or \`resource\`) backend; the API server requires one.`);
    return;
  }
  const svc = b.service;
  const name = svc.name?.value;
  if (name === undefined || name === null || name === '') {
    r.report('ingress-backend-invalid', svc.name?.span ?? svc.keySpan, `${who}: ${b.where} names no Service (\`service.name\` is required).`);
  } else if (!isPlaceholder(name)) {
    const reason = typeof name === 'string' ? dns1035Label(name) : 'must be a string';
    if (reason) r.report('ingress-backend-invalid', svc.name!.span, `${who}: ${b.where}: Service name \`${String(name)}\` is not a valid Service name (a DNS-1035 label): it ${reason}.`);
  }
  const num = svc.portNumber?.value;
  const pname = svc.portName?.value;
  const hasNumber = num !== undefined && num !== null && num !== 0;
  const hasName = typeof pname === 'string' ? pname !== '' : pname !== undefined && pname !== null;
  if (hasNumber && hasName) {
    r.report('ingress-backend-invalid', svc.portKeySpan ?? svc.keySpan, `${who}: ${b.where} sets both port \`name\` and \`number\`; give one.`);
  } else if (hasNumber) {
    if (!isValidPortNumber(num)) {
      r.report('ingress-backend-invalid', svc.portNumber!.span, `${who}: ${b.where}: port number ${typeof num === 'string' ? `"${num}" (a string)` : String(num)} must be an integer in 1–65535.`);
    }
  } else if (hasName) {
    if (isPlaceholder(pname)) return;
    const reason = typeof pname === 'string' ? ianaSvcName(pname) : 'must be a string';
    if (reason) r.report('ingress-backend-invalid', svc.portName!.span, `${who}: ${b.where}: port name \`${String(pname)}\` is not a valid port name: it ${reason}.`);
  } else {
    r.report('ingress-backend-invalid', svc.portKeySpan ?? svc.keySpan, `${who}: ${b.where} gives no Service port: set \`port.number\` or \`port.name\`.`);
  }
}
