import type { TraceStatus } from './types';

/**
 * The status of each stop reason (contracts.md): what the client gets on that branch. Reasons not
 * listed fail behind the entry point (`500`).
 */
const STATUS: Readonly<Record<string, TraceStatus>> = {
  // Nothing routes the request.
  'no-route-matches': '404',
  'no-rule-matches': '404',
  'mesh-no-route-matches': '404',
  // A route that would take it is not attached to the listener.
  'route-kind-not-allowed': '404',
  'route-namespace-not-allowed': '404',
  'route-hostname-mismatch': '404',
  // The manifests do not decide.
  'backend-not-service': 'unknown',
  'backend-not-traced': 'unknown',
  'filter-invalid': 'unknown',
  'empty-workspace': 'unknown',
  'no-entry': 'unknown',
  'no-backend': 'unknown',
  'redirect': 'redirect',
};

export function statusOf(reason: string): TraceStatus {
  return STATUS[reason] ?? '500';
}
