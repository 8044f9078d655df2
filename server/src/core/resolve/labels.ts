import type { LabelEntry, LabelSelector, Workload } from '../model/resources';

/**
 * Labels that controllers put on the pods they create at runtime, so a Service may select on them
 * although no manifest writes them. Each entry says whether a pod of this workload carries the
 * label with this value.
 */
const CONTROLLER_LABELS: Record<string, (w: Workload, value: string) => boolean> = {
  'pod-template-hash': (w) => w.kind === 'Deployment' || w.kind === 'ReplicaSet',
  'controller-revision-hash': (w) => w.kind === 'StatefulSet' || w.kind === 'DaemonSet',
  'pod-template-generation': (w) => w.kind === 'DaemonSet',
  'statefulset.kubernetes.io/pod-name': (w, v) => w.kind === 'StatefulSet' && statefulOrdinalOk(w, v.startsWith(`${w.name}-`) ? v.slice((w.name ?? '').length + 1) : ''),
  'apps.kubernetes.io/pod-index': (w, v) => w.kind === 'StatefulSet' && statefulOrdinalOk(w, v),
  'batch.kubernetes.io/job-name': jobName,
  'job-name': jobName,
  'batch.kubernetes.io/controller-uid': (w) => w.kind === 'Job' || w.kind === 'CronJob',
  'controller-uid': (w) => w.kind === 'Job' || w.kind === 'CronJob',
};

function statefulOrdinalOk(w: Workload, ordinal: string): boolean {
  if (!/^(0|[1-9][0-9]*)$/.test(ordinal)) return false;
  // Replicas default to 1; when they are not a literal number we cannot bound the ordinal.
  const replicas = w.replicas ?? (w.replicasUnknown ? Infinity : 1);
  return Number(ordinal) < replicas;
}

function jobName(w: Workload, v: string): boolean {
  if (w.kind === 'Job') return v === w.name;
  // A CronJob names each Job `<cronjob>-<scheduled time>`.
  if (w.kind === 'CronJob') return w.name !== undefined && v.startsWith(`${w.name}-`);
  return false;
}

export function isControllerLabel(key: string): boolean {
  return key in CONTROLLER_LABELS;
}

/** Does a pod of this workload carry label key=value (written in its template or added by its controller)? */
export function podHasLabel(w: Workload, key: string, value: string): boolean {
  for (const l of w.podLabels) if (l.key === key) return l.value === value;
  const controller = CONTROLLER_LABELS[key];
  return controller ? controller(w, value) : false;
}

/** Equality-based selector (a Service selector): every entry must be carried by the pods. */
export function selectsWorkload(selector: readonly LabelEntry[], w: Workload): boolean {
  for (const s of selector) if (!podHasLabel(w, s.key, s.value)) return false;
  return true;
}

/** A workload's own set-based selector against its template labels (no controller labels: the API checks the template). */
export function labelSelectorMatches(sel: LabelSelector, labels: readonly LabelEntry[]): boolean {
  const get = (k: string) => labels.find((l) => l.key === k)?.value;
  for (const m of sel.matchLabels) if (get(m.key) !== m.value) return false;
  for (const e of sel.matchExpressions) {
    const v = get(e.key);
    switch (e.operator) {
      case 'In': if (v === undefined || !e.values.includes(v)) return false; break;
      case 'NotIn': if (v !== undefined && e.values.includes(v)) return false; break;
      case 'Exists': if (v === undefined) return false; break;
      case 'DoesNotExist': if (v !== undefined) return false; break;
      default: return false;
    }
  }
  return true;
}

/** The labels of something a set-based selector is matched against. */
export interface LabelLookup {
  has(key: string, value: string): boolean;
  exists(key: string): boolean;
}

/** Label lookup of a workload's pods: template labels, plus the values of controller-added labels. */
export function podLabelLookup(w: Workload): LabelLookup {
  return {
    has: (k, v) => podHasLabel(w, k, v),
    exists: (k) => w.podLabels.some((l) => l.key === k),
  };
}

/** Label lookup of a plain label list. */
export function labelListLookup(labels: readonly { key: string; value: string }[]): LabelLookup {
  return {
    has: (k, v) => labels.some((l) => l.key === k && l.value === v),
    exists: (k) => labels.some((l) => l.key === k),
  };
}

/** A metav1.LabelSelector (matchLabels AND matchExpressions) against any label set. Empty selects everything. */
export function matchesLabelSelector(sel: LabelSelector, labels: LabelLookup): boolean {
  for (const m of sel.matchLabels) if (!labels.has(m.key, m.value)) return false;
  for (const e of sel.matchExpressions) {
    switch (e.operator) {
      case 'In': if (!e.values.some((v) => labels.has(e.key, v))) return false; break;
      case 'NotIn': if (e.values.some((v) => labels.has(e.key, v))) return false; break;
      case 'Exists': if (!labels.exists(e.key)) return false; break;
      case 'DoesNotExist': if (labels.exists(e.key)) return false; break;
      default: return false;
    }
  }
  return true;
}

export function isEmptySelector(sel: LabelSelector | undefined): boolean {
  return !sel || (sel.matchLabels.length === 0 && sel.matchExpressions.length === 0);
}
