import { PROBE_FIELD, probedContainers, unresolvedNamedProbes } from '../facts/probes';
import { describe, type Container, type ProbePort, type Workload } from '../model/resources';
import type { Reporter } from './context';
import { portValueText } from './serviceShape';
import { ianaSvcName, isValidPortNumber } from './validation';

/**
 * Probe ports of a workload's containers: their syntax (what the API server rejects), a named port
 * the container does not declare (the kubelet resolves it against that container only), and, as
 * information, a number the container does not declare.
 */
export function checkProbePorts(w: Workload, r: Reporter): void {
  const who = describe(w);
  const unresolved = new Set(unresolvedNamedProbes(w).map((x) => x.probe));
  for (const c of probedContainers(w)) {
    for (const p of c.probes) {
      const what = `${who}, container \`${c.name ?? '?'}\`: ${PROBE_FIELD[p.probe]} ${p.handler}`;
      if (!syntaxOk(p, what, r)) continue;
      if (unresolved.has(p)) reportUnresolved(w, c, p, what, r);
      else if (typeof p.port!.value === 'number' && !p.host) reportUndeclared(w, c, p, what, r);
    }
  }
}

/** What the API server checks: gRPC takes a number; httpGet and tcpSocket a number or an IANA port name. */
function syntaxOk(p: ProbePort, what: string, r: Reporter): boolean {
  const port = p.port;
  if (!port || port.value === null || port.value === '') {
    r.report('port-out-of-range', p.span, `${what} has no \`port\` (a port number${p.handler === 'grpc' ? '' : ' or name'} is required).`);
    return false;
  }
  const v = port.value;
  if (p.handler === 'grpc' && typeof v !== 'number') {
    r.report('probe-port-invalid', port.span, `${what}: port ${portValueText(port)} must be a number; gRPC probes do not take port names.`);
    return false;
  }
  if (typeof v === 'number') {
    if (!isValidPortNumber(v)) r.report('port-out-of-range', port.span, `${what}: port ${v} must be an integer in 1–65535.`);
    return isValidPortNumber(v);
  }
  const reason = typeof v === 'string' ? ianaSvcName(v) : 'must be a port number or a port name';
  if (reason) {
    const numeric = typeof v === 'string' && /^[0-9]+$/.test(v);
    r.report('port-name-invalid', port.span, numeric
      ? `${what}: port "${v}" is a string, so Kubernetes reads it as a port name, and a name ${reason}; write it as a number without quotes.`
      : `${what}: port \`${String(v)}\` is not a valid port name: it ${reason}.`);
    return false;
  }
  return true;
}

const CONSEQUENCE = {
  readiness: 'the kubelet cannot resolve it, so every check errors and is discarded: the container never becomes ready, the pods never become ready, and a Service selecting them gets no ready endpoints from them',
  startup: 'the kubelet cannot resolve it, so every check errors and is discarded: the container never counts as started, its other probes never run, and the pods never become ready (a Service selecting them gets no ready endpoints from them)',
  liveness: 'the kubelet cannot resolve it, so every check errors (a `Liveness probe errored` event) and is discarded: the container is never really checked and never restarted, even when it hangs',
} as const;

function reportUnresolved(w: Workload, c: Container, p: ProbePort, what: string, r: Reporter): void {
  const name = String(p.port!.value);
  const own = c.ports.map((x) => x.name?.value).filter((n): n is string => typeof n === 'string' && n !== '');
  const elsewhere = probedContainers(w).find((o) => o !== c && o.ports.some((x) => x.name?.value === name));
  const other = elsewhere?.ports.find((x) => x.name?.value === name);
  r.report('probe-port-unresolved', p.port!.span,
    `${what} names port \`${name}\`, which container \`${c.name ?? '?'}\` does not declare (${own.length ? `its port names: ${own.join(', ')}` : 'it declares no named ports'})${elsewhere ? `; container \`${elsewhere.name ?? '?'}\` declares it, but a probe resolves names against its own container only` : ''}: ${CONSEQUENCE[p.probe]}.`,
    other ? { related: [{ uri: w.uri, span: other.name!.span, message: `port \`${name}\` of container \`${elsewhere!.name ?? '?'}\`` }] } : {});
}

function reportUndeclared(w: Workload, c: Container, p: ProbePort, what: string, r: Reporter): void {
  const n = p.port!.value as number;
  const own = c.ports.map((x) => x.containerPort?.value).filter((v): v is number => typeof v === 'number');
  if (own.length === 0 || own.includes(n)) return; // a container that declares no ports documents none of them
  const elsewhere = probedContainers(w).find((o) => o !== c && o.ports.some((x) => x.containerPort?.value === n));
  r.report('probe-port-undeclared', p.port!.span,
    `${what} checks port ${n}, which container \`${c.name ?? '?'}\` does not declare (it declares ${own.join(', ')})${elsewhere ? `; container \`${elsewhere.name ?? '?'}\` does, so the probe checks that container's port, not this one's` : '; the process may still listen there, but nothing documents it'}.`);
}
