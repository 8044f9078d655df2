import { describe, type LabelEntry, type Resource, type Service, type Workload } from '../model/resources';
import { labelSelectorMatches } from '../resolve/labels';
import type { Reporter } from './context';
import { portValueText, reportProtocol } from './serviceShape';
import { PROTOCOLS, ianaSvcName, isValidPortNumber, labelKey, labelValue } from './validation';

const SELECTOR_REQUIRED_API = /^apps\/v1$/;
const CONTROLLERS_WITH_SELECTOR = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

/** A workload's own selector must match its template, and be non-empty (apps/v1). */
export function checkWorkloadSelector(w: Workload, r: Reporter): void {
  const who = describe(w);
  if (CONTROLLERS_WITH_SELECTOR.has(w.kind)) {
    const sel = w.selector;
    if (!sel) {
      // apps/v1 requires it; older API versions defaulted it from the template labels.
      if (SELECTOR_REQUIRED_API.test(w.apiVersion)) {
        r.report('workload-selector-mismatch', w.templateSpan ?? w.kindSpan,
          `${who} has no \`spec.selector\`: apps/v1 requires one matching the pod template labels.`);
      }
      return;
    }
    if (sel.matchLabels.length === 0 && sel.matchExpressions.length === 0) {
      r.report('workload-selector-mismatch', sel.keySpan, `${who}: the selector is empty; it must select the pod template labels.`);
      return;
    }
    if (!labelSelectorMatches(sel, w.podLabels)) {
      r.report('workload-selector-mismatch', sel.keySpan,
        `${who}: the selector does not match the pod template labels (${fmtLabels(w.podLabels)}), so the controller would never own its pods; the API server rejects it.`,
        w.podLabelsSpan ? { related: [{ uri: w.uri, span: w.podLabelsSpan, message: 'pod template labels' }] } : {});
    }
  } else if (w.kind === 'ReplicationController' && w.selector && w.selector.matchLabels.length > 0) {
    if (!labelSelectorMatches(w.selector, w.podLabels)) {
      r.report('workload-selector-mismatch', w.selector.keySpan,
        `${who}: the selector does not match the pod template labels (${fmtLabels(w.podLabels)}).`);
    }
  }
}

export function checkContainers(w: Workload, r: Reporter): void {
  const who = describe(w);
  for (const c of w.containers) {
    const cName = c.name ? `container \`${c.name}\`` : 'a container';
    const names = new Map<string, number>();
    for (const p of c.ports) {
      if (!p.containerPort) {
        r.report('port-out-of-range', p.span, `${who}, ${cName}: a port without \`containerPort\` (it must be an integer in 1–65535).`);
      } else if (!isValidPortNumber(p.containerPort.value)) {
        r.report('port-out-of-range', p.containerPort.span, `${who}, ${cName}: containerPort ${portValueText(p.containerPort)} must be an integer in 1–65535.`);
      }
      const hp = p.hostPort;
      if (hp && hp.value !== null && hp.value !== 0 && !isValidPortNumber(hp.value)) {
        r.report('port-out-of-range', hp.span, `${who}, ${cName}: hostPort ${portValueText(hp)} must be an integer in 1–65535 (or 0, not set).`);
      }
      if (p.protocol && (typeof p.protocol.value !== 'string' || !PROTOCOLS.has(p.protocol.value))) {
        reportProtocol(p.protocol, `${who}, ${cName}`, r);
      }
      if (p.name && p.name.value !== null && p.name.value !== '') {
        const v = p.name.value;
        const reason = typeof v === 'string' ? ianaSvcName(v) : 'must be a string';
        if (reason) r.report('port-name-invalid', p.name.span, `${who}, ${cName}: port name \`${String(v)}\` is not a valid port name: it ${reason}.`);
        const key = String(v);
        const firstStart = names.get(key);
        if (firstStart !== undefined) {
          r.report('container-port-duplicate', p.name.span, `${who}, ${cName}: port name \`${key}\` is declared twice.`,
            { related: [{ uri: w.uri, span: { start: firstStart, end: firstStart + key.length }, message: 'first declaration' }] });
        } else names.set(key, p.name.span.start);
      }
    }
  }
}

/** Label syntax everywhere labels are written or matched. */
export function checkLabels(res: Resource, r: Reporter): void {
  const who = describe(res);
  checkLabelList(res.labels, `${who} label`, r);
  if (res.type === 'workload') {
    if (res.kind !== 'Pod') checkLabelList(res.podLabels, `${who} pod label`, r);
    if (res.selector) {
      checkLabelList(res.selector.matchLabels, `${who} selector`, r);
      for (const e of res.selector.matchExpressions) {
        const reason = labelKey(e.key);
        if (reason) r.report('label-invalid', e.span, `${who} selector key \`${e.key}\` is invalid: it ${reason}.`);
      }
    }
  }
  if (res.type === 'service' && res.selector) checkLabelList(res.selector, `${who} selector`, r);
}

function checkLabelList(labels: readonly LabelEntry[], what: string, r: Reporter): void {
  for (const l of labels) {
    const k = labelKey(l.key);
    if (k) r.report('label-invalid', l.keySpan, `${what} key \`${l.key}\` is invalid: ${k}.`);
    if (l.valueNotString) {
      r.report('label-invalid', l.valueSpan, `${what} \`${l.key}\`: the value ${l.value === '' ? '' : `\`${l.value}\` `}is ${l.valueNotString}, but label values must be strings; quote it.`,
        l.value !== '' ? { data: { type: 'replace', span: r.rangeOf(r.uri, l.valueSpan)!, newText: `"${l.value}"`, title: `Quote "${l.value}"` } } : {});
      continue;
    }
    const v = labelValue(l.value);
    if (v) r.report('label-invalid', l.valueSpan, `${what} \`${l.key}\`: value \`${l.value}\` is invalid: it ${v}.`);
  }
}

/** The same object twice in one file: `kubectl apply` keeps the later one. */
export function checkDuplicates(resources: readonly Resource[], r: Reporter): void {
  const seen = new Map<string, Resource>();
  for (const res of resources) {
    if (res.name === undefined) continue;
    const key = `${res.apiVersion.split('/')[0]}\u0000${res.kind}\u0000${res.namespace ?? ''}\u0000${res.name}`;
    const first = seen.get(key);
    if (first && first.docIndex !== res.docIndex) {
      r.report('resource-duplicate', res.nameRef?.span ?? res.kindSpan,
        `${describe(res)} is defined twice in this file; when applied, this later definition replaces the first.`,
        { related: [{ uri: first.uri, span: first.nameRef?.span ?? first.kindSpan, message: 'first definition' }] });
    } else if (!first) seen.set(key, res);
  }
}

export function fmtLabels(labels: readonly LabelEntry[]): string {
  return labels.length === 0 ? 'none' : labels.map((l) => `${l.key}=${l.value}`).join(', ');
}

export function isService(r: Resource): r is Service {
  return r.type === 'service';
}
