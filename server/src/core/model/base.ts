import type { Span } from '../types';
import type { ScalarRef } from './yamlAccess';

/**
 * What every modelled object has, whatever its kind: identity, location and labels. The kinds
 * themselves are in resources.ts (traffic) and policyResources.ts (policies, autoscaling, monitoring).
 */

/** Identity and location shared by every modelled object. */
export interface ResourceBase {
  readonly uri: string;
  /** Index of the `---` document in its file. */
  readonly docIndex: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string | undefined;
  /** undefined = namespace unset (matches any namespace, see rules.md). */
  readonly namespace: string | undefined;
  readonly kindSpan: Span;
  readonly nameRef: ScalarRef | undefined;
  readonly namespaceRef: ScalarRef<string> | undefined;
  /** The object's whole mapping in the file. The model is plain data (no YAML nodes kept). */
  readonly span: Span;
  readonly labels: readonly LabelEntry[];
}

export interface LabelEntry {
  readonly key: string;
  readonly value: string;
  readonly keySpan: Span;
  readonly valueSpan: Span;
  /** The value was not a string in YAML (number, bool, YAML 1.1 bool like `yes`): rejected by the API. */
  readonly valueNotString?: string;
}

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
  readonly span: Span;
}

export interface LabelSelector {
  readonly matchLabels: readonly LabelEntry[];
  readonly matchExpressions: readonly LabelSelectorRequirement[];
  /** The `selector` key. */
  readonly keySpan: Span;
}

export function resourceId(r: ResourceBase): string {
  return r.namespace ? `${r.kind}/${r.namespace}/${r.name ?? ''}` : `${r.kind}/${r.name ?? ''}`;
}

/** `Kind name` or `Kind ns/name`, for messages. */
export function describe(r: ResourceBase): string {
  const n = r.name ?? '(unnamed)';
  return r.namespace ? `${r.kind} \`${r.namespace}/${n}\`` : `${r.kind} \`${n}\``;
}

/** Namespace scope rule: unset matches anything, two explicit namespaces must be equal. */
export function namespacesCompatible(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}
