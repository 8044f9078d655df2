import type { Container, ProbeKind, ProbePort, Workload } from '../model/resources';

/**
 * Probe ports as the kubelet resolves them (pkg/probe ResolveContainerPort): a named port is looked
 * up among the ports of the probe's own container only, by name. When it is not there the probe
 * errors on every run and the kubelet discards the result, so the probe keeps its initial state:
 * a readiness probe stays "not ready", a startup probe never lets the container count as started
 * (and so never lets it become ready), and a liveness probe never fails (so it never restarts a
 * hung container).
 */

export interface ProbeOf {
  readonly container: Container;
  readonly probe: ProbePort;
}

export const PROBE_FIELD: Readonly<Record<ProbeKind, string>> = { liveness: 'livenessProbe', readiness: 'readinessProbe', startup: 'startupProbe' };

/** Containers whose probes run: regular containers and native sidecars (init containers may not have probes). */
export function probedContainers(w: Workload): Container[] {
  return w.containers.filter((c) => c.role !== 'init');
}

/** A named probe port (httpGet or tcpSocket) that its container does not declare. */
export function unresolvedNamedProbes(w: Workload): ProbeOf[] {
  const out: ProbeOf[] = [];
  for (const container of probedContainers(w)) {
    for (const probe of container.probes) {
      const v = probe.port?.value;
      if (probe.handler === 'grpc' || typeof v !== 'string' || v === '' || /^[0-9]+$/.test(v)) continue;
      if (!container.ports.some((p) => p.name?.value === v)) out.push({ container, probe });
    }
  }
  return out;
}

/** Readiness or startup probes that can never succeed: the pods of the workload never become ready. */
export function neverReadyProbes(w: Workload): ProbeOf[] {
  return unresolvedNamedProbes(w).filter((x) => x.probe.probe !== 'liveness');
}

/** Why the pods never become ready, for hovers and trace (undefined: nothing keeps them unready). */
export function neverReadyText(w: Workload): string | undefined {
  const list = neverReadyProbes(w);
  if (list.length === 0) return undefined;
  const first = list[0]!;
  return `the ${PROBE_FIELD[first.probe.probe]} of container ${first.container.name ?? '?'} names port ${String(first.probe.port?.value)}, which that container does not declare`;
}
