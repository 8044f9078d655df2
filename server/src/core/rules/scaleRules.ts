import type { HorizontalPodAutoscaler, PodDisruptionBudget } from '../model/policyResources';
import { describe, namespacesCompatible, type Workload } from '../model/resources';
import { isEmptySelector } from '../resolve/labels';
import { podSelectorTargets } from '../policy/match';
import type { IndexReads } from '../index/workspaceIndex';
import type { Reporter } from './context';

/** The API server requires scaleTargetRef, with kind and name. */
export function checkScaleTargetRequired(h: HorizontalPodAutoscaler, r: Reporter): void {
  const t = h.scaleTarget;
  if (!t) {
    r.report('scale-target-required', h.specKeySpan ?? h.nameRef?.span ?? h.kindSpan,
      `${describe(h)} has no \`scaleTargetRef\`: the API server requires one (kind and name of the workload to scale).`);
    return;
  }
  const missing = [!t.kind?.value && '`kind`', !t.name?.value && '`name`'].filter(Boolean);
  if (missing.length) {
    r.report('scale-target-required', t.span, `${describe(h)}: scaleTargetRef has no ${missing.join(' and ')}; the API server requires both.`);
  }
}

const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** Autoscalers whose scaleTargetRef names this workload (kind, name, API group, namespace). */
export function autoscalersOf(index: IndexReads, w: Workload): HorizontalPodAutoscaler[] {
  if (!w.name || !SCALABLE.has(w.kind)) return [];
  return index.autoscalersOf(w.kind, w.name, w.namespace).filter((h) => {
    const group = h.scaleTarget?.apiVersion?.includes('/') ? h.scaleTarget.apiVersion.split('/')[0] : undefined;
    return namespacesCompatible(h.namespace, w.namespace) && (group === undefined || group === 'apps' || group === 'extensions');
  });
}

/** `replicas` written on a workload an HPA scales: every apply puts it back. */
export function checkReplicasWithAutoscaler(w: Workload, r: Reporter): void {
  if (!w.replicasKeySpan) return;
  const hpas = autoscalersOf(r.index, w);
  if (hpas.length === 0) return;
  const h = hpas[0]!;
  const n = w.replicasUnknown ? 'the written value' : `${w.replicas} replica${w.replicas === 1 ? '' : 's'}`;
  r.report('replicas-with-autoscaler', w.replicasKeySpan,
    `${describe(w)} sets \`replicas\` while ${describe(h)} scales it: every \`kubectl apply\` of this file resets it to ${n} until the autoscaler scales again. Leave \`replicas\` out (the autoscaler keeps at least minReplicas).`,
    { related: [{ uri: h.uri, span: h.scaleTarget?.span ?? h.kindSpan, message: `scaleTargetRef of ${describe(h)}` }] });
}

/** A budget's value: an integer, or a percentage (`50%`). */
function budgetValue(v: unknown): { n: number; percent: boolean } | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return { n: v, percent: false };
  const m = typeof v === 'string' ? /^([0-9]+)%$/.exec(v) : null;
  return m ? { n: Number(m[1]), percent: true } : undefined;
}

/**
 * The pods a budget covers, counted as the disruption controller counts them: each workload's
 * replicas (the autoscaler's minReplicas when one scales it), one for a bare Pod. Undefined when a
 * count is unknown (DaemonSets, Jobs, replicas written as a placeholder).
 */
function coveredPods(index: IndexReads, ws: readonly Workload[]): { total: number; scaled: boolean } | undefined {
  let total = 0;
  let scaled = false;
  for (const w of ws) {
    if (w.kind === 'Pod') { total += 1; continue; }
    if (!SCALABLE.has(w.kind)) return undefined;
    const hpa = autoscalersOf(index, w)[0];
    const n = hpa ? hpa.minReplicas : w.replicasUnknown ? undefined : w.replicas ?? 1;
    if (n === undefined) return undefined;
    scaled ||= !!hpa;
    total += n;
  }
  return { total, scaled };
}

/** A budget that allows no eviction at all: `kubectl drain` and node upgrades wait forever. */
export function checkDisruptionAllowance(b: PodDisruptionBudget, r: Reporter): void {
  const field = b.minAvailable && !b.maxUnavailable ? b.minAvailable : b.maxUnavailable && !b.minAvailable ? b.maxUnavailable : undefined;
  const value = field?.value ? budgetValue(field.value.value) : undefined;
  if (!field || !value || !b.selector) return;
  const isMax = field === b.maxUnavailable;
  const written = `${isMax ? 'maxUnavailable' : 'minAvailable'} ${String(field.value!.value)}`;
  // policy/v1: an empty selector selects every pod of the namespace.
  const targets = podSelectorTargets(r.index, isEmptySelector(b.selector) ? undefined : b.selector, b.namespace);
  if (targets.length === 0) return;
  const who = describe(b);
  const names = targets.slice(0, 3).map((w) => describe(w)).join(', ') + (targets.length > 3 ? ', …' : '');
  if (isMax) {
    if (value.n !== 0) return;
    r.report('disruption-budget-blocks-eviction', field.value!.span,
      `${who}: ${written} allows no pod of ${names} to be evicted: \`kubectl drain\` and node upgrades wait on them forever.`);
    return;
  }
  const count = coveredPods(r.index, targets);
  if (!count || count.total === 0) return;
  const desired = value.percent ? Math.ceil((value.n * count.total) / 100) : value.n;
  if (desired < count.total) return;
  const pods = `${count.total} pod${count.total === 1 ? '' : 's'}`;
  r.report('disruption-budget-blocks-eviction', field.value!.span,
    `${who}: ${written}${value.percent ? ` of ${pods} is ${desired}` : ''}, and ${names} ${targets.length === 1 ? 'has' : 'have'} ${count.scaled ? `at the autoscaler's minimum ` : ''}${pods}: no pod may ever be evicted, so \`kubectl drain\` and node upgrades wait forever. Lower it below ${count.total} (or use maxUnavailable: 1).`);
}
