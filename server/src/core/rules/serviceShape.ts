import { describe, type Service, type ServicePort } from '../model/resources';
import type { ScalarRef } from '../model/yamlAccess';
import type { Reporter } from './context';
import {
  PROTOCOLS, SERVICE_TYPES, dns1035Label, dns1123Label, dns1123Subdomain, ianaSvcName, isValidPortNumber,
} from './validation';

/** What the API server rejects in a Service on its own, plus the loadBalancerIP deprecation. */
export function checkServiceShape(svc: Service, r: Reporter): void {
  const who = describe(svc);
  if (svc.nameRef) {
    const v = svc.nameRef.value;
    const reason = typeof v === 'string' ? dns1035Label(v) : 'must be a string';
    if (reason) r.report('service-name-invalid', svc.nameRef.span, `Service name \`${String(v)}\` is not a valid DNS-1035 label: it ${reason}.`);
  }

  if (svc.typeRef) {
    const v = svc.typeRef.value;
    if (typeof v !== 'string' || !SERVICE_TYPES.has(v)) {
      const suggestion = typeof v === 'string' ? [...SERVICE_TYPES].find((t) => t.toLowerCase() === v.toLowerCase()) : undefined;
      r.report('service-type-invalid', svc.typeRef.span,
        `${who}: type \`${String(v)}\` is not one of ClusterIP, NodePort, LoadBalancer, ExternalName${suggestion ? ` (did you mean \`${suggestion}\`? it is case-sensitive)` : ''}.`,
        suggestion ? { data: { type: 'replace', span: r.rangeOf(svc.uri, svc.typeRef.span)!, newText: suggestion, title: `Change type to ${suggestion}` } } : {});
    }
  }
  const type = svc.serviceType;
  const externalName = type === 'ExternalName';

  if (svc.ports.length === 0 && !svc.headless && !externalName) {
    r.report('service-ports-required', svc.portsKeySpan ?? svc.specKeySpan ?? svc.nameRef?.span ?? svc.kindSpan,
      `${who} has no ports: a ${type} Service needs at least one (only headless and ExternalName Services may omit them).`);
  }

  if (svc.headless && (type === 'NodePort' || type === 'LoadBalancer')) {
    r.report('headless-type-conflict', svc.clusterIPRef?.span ?? svc.typeRef?.span ?? svc.kindSpan,
      `${who} is headless (clusterIP: None) but of type ${type}: a headless Service has no cluster IP to expose on nodes or a load balancer.`);
  }

  if (svc.externalTrafficPolicy && type !== 'NodePort' && type !== 'LoadBalancer' && svc.externalIPs.length === 0) {
    r.report('external-traffic-policy-not-allowed', svc.externalTrafficPolicyKeySpan ?? svc.externalTrafficPolicy.span,
      `${who}: externalTrafficPolicy applies only to NodePort and LoadBalancer Services or Services with externalIPs; this one is ${svc.headless ? 'headless' : type}.`);
  }

  if (externalName) {
    const en = svc.externalName;
    if (!en || en.value === null || en.value === '') {
      r.report('external-name-invalid', en?.span ?? svc.typeRef?.span ?? svc.kindSpan, `${who} is of type ExternalName but has no \`externalName\` (the DNS name to alias).`);
    } else {
      const v = String(en.value);
      const reason = typeof en.value !== 'string' ? 'must be a string' : dns1123Subdomain(v.endsWith('.') ? v.slice(0, -1) : v);
      if (reason) r.report('external-name-invalid', en.span, `${who}: externalName \`${v}\` is not a valid DNS name: it ${reason}.`);
    }
    if (svc.selector && svc.selectorKeySpan) {
      r.report('external-name-selector-ignored', svc.selectorKeySpan,
        `${who} is of type ExternalName: its selector is ignored (the Service is a DNS CNAME to ${en?.value ? `\`${String(en.value)}\`` : 'an external name'}, no pods are selected).`);
    }
  }

  if (svc.loadBalancerIP && svc.loadBalancerIPKeySpan && svc.loadBalancerIP.value !== null && svc.loadBalancerIP.value !== '') {
    r.report('load-balancer-ip-deprecated', svc.loadBalancerIPKeySpan,
      `${who}: spec.loadBalancerIP is deprecated since Kubernetes 1.24 and ignored by some providers; use the provider's annotation (or Gateway addresses) instead.`);
  }

  checkPorts(svc, r);
}

function checkPorts(svc: Service, r: Reporter): void {
  const who = describe(svc);
  const names = new Map<string, ServicePort>();
  const protoPorts = new Map<string, ServicePort>();
  const nodePortsSeen = new Map<string, ServicePort>();
  const multi = svc.ports.length > 1;
  const clusterIPOnly = svc.serviceType === 'ClusterIP' || svc.headless;

  for (const p of svc.ports) {
    const label = portLabel(p);
    const name = p.name?.value;
    if (multi && (name === undefined || name === null || name === '')) {
      r.report('service-port-name-required', p.name?.span ?? p.port?.span ?? p.span,
        `${who} has ${svc.ports.length} ports, so every port needs a \`name\`; ${label} has none.`);
    }
    if (p.name && name !== null && name !== '') {
      const reason = typeof name === 'string' ? dns1123Label(name) : 'must be a string';
      if (reason) r.report('service-port-name-invalid', p.name.span, `${who}: port name \`${String(name)}\` is not a valid DNS-1123 label: it ${reason}.`);
      const first = names.get(String(name));
      if (first) {
        r.report('service-port-duplicate', p.name.span, `${who}: port name \`${String(name)}\` is used twice.`,
          { related: [{ uri: svc.uri, span: first.name?.span ?? first.span, message: 'first use of the name' }] });
      } else names.set(String(name), p);
    }

    // port is required; a missing one is 0 for the API server.
    if (!p.port) {
      r.report('port-out-of-range', p.span, `${who}: ${label} has no \`port\` (it must be an integer in 1–65535).`);
    } else if (!isValidPortNumber(p.port.value)) {
      r.report('port-out-of-range', p.port.span, `${who}: port ${portValueText(p.port)} must be an integer in 1–65535.`);
    } else {
      const key = `${p.effectiveProtocol}/${p.port.value}`;
      const first = protoPorts.get(key);
      if (first) {
        r.report('service-port-duplicate', p.port.span, `${who}: port ${p.port.value}/${p.effectiveProtocol} is defined twice.`,
          { related: [{ uri: svc.uri, span: first.port?.span ?? first.span, message: 'first definition of the port' }] });
      } else protoPorts.set(key, p);
    }

    if (p.targetPort) checkTargetPortSyntax(p.targetPort, who, r);

    if (p.protocol && (typeof p.protocol.value !== 'string' || !PROTOCOLS.has(p.protocol.value))) {
      reportProtocol(p.protocol, who, r);
    }

    if (p.nodePort && p.nodePort.value !== null) {
      const np = p.nodePort.value;
      if (np === 0) continue; // 0 = unset: allocated automatically
      if (!isValidPortNumber(np)) {
        r.report('port-out-of-range', p.nodePort.span, `${who}: nodePort ${portValueText(p.nodePort)} must be an integer in 1–65535.`);
        continue;
      }
      if (clusterIPOnly) {
        r.report('node-port-not-allowed', p.nodePort.span,
          `${who}: nodePort ${np} is not allowed on a ${svc.headless ? 'headless' : 'ClusterIP'} Service${svc.typeRef ? '' : ' (type defaults to ClusterIP)'}; set \`type: NodePort\` or LoadBalancer, or remove it.`);
        continue;
      }
      const { min, max } = r.settings.nodePortRange;
      if (np < min || np > max) {
        r.report('node-port-range', p.nodePort.span, `${who}: nodePort ${np} is outside the nodePort range ${min}–${max}.`);
      }
      const key = `${p.effectiveProtocol}/${np}`;
      const first = nodePortsSeen.get(key);
      if (first) {
        r.report('node-port-conflict', p.nodePort.span, `${who}: nodePort ${np}/${p.effectiveProtocol} is used twice in this Service.`,
          { related: [{ uri: svc.uri, span: first.nodePort!.span, message: 'first use' }] });
      } else nodePortsSeen.set(key, p);
    }
  }
}

/** A numeric targetPort must be a port number, a string one an IANA service name. */
export function checkTargetPortSyntax(tp: ScalarRef, who: string, r: Reporter): void {
  const v = tp.value;
  if (typeof v === 'number') {
    if (v !== 0 && !isValidPortNumber(v)) r.report('port-out-of-range', tp.span, `${who}: targetPort ${v} must be an integer in 1–65535.`);
  } else if (typeof v === 'string') {
    if (v === '') return; // defaults to port
    const reason = ianaSvcName(v);
    if (reason) {
      const numeric = /^[0-9]+$/.test(v);
      r.report('port-name-invalid', tp.span, numeric
        ? `${who}: targetPort "${v}" is a string, so Kubernetes reads it as a port name, and a name ${reason}; write it as a number without quotes.`
        : `${who}: targetPort name \`${v}\` is not a valid port name: it ${reason}.`);
    }
  } else if (v !== null) {
    r.report('port-out-of-range', tp.span, `${who}: targetPort must be a port number or a port name.`);
  }
}

export function reportProtocol(ref: ScalarRef, who: string, r: Reporter): void {
  const v = ref.value;
  const upper = typeof v === 'string' ? v.toUpperCase() : '';
  const suggestion = PROTOCOLS.has(upper) ? upper : undefined;
  r.report('protocol-invalid', ref.span,
    `${who}: protocol \`${String(v)}\` is not one of TCP, UDP, SCTP${suggestion ? ` (it is case-sensitive: \`${suggestion}\`)` : ''}.`,
    suggestion ? { data: { type: 'replace', span: r.rangeOf(r.uri, ref.span)!, newText: suggestion, title: `Change protocol to ${suggestion}` } } : {});
}

export function portValueText(ref: ScalarRef): string {
  return typeof ref.value === 'string' ? `"${ref.value}" (a string)` : String(ref.value);
}

function portLabel(p: ServicePort): string {
  if (p.name && typeof p.name.value === 'string' && p.name.value) return `port \`${p.name.value}\``;
  if (p.port && p.port.value !== null) return `port ${String(p.port.value)}`;
  return 'a port';
}
