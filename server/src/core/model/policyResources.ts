import type { Span } from '../types';
import type { LabelSelector, ResourceBase } from './base';
import type { ScalarRef } from './yamlAccess';

/**
 * Model of the objects that refer to pods and Services without carrying traffic themselves:
 * NetworkPolicy (who may talk to whom), HorizontalPodAutoscaler, PodDisruptionBudget and
 * Prometheus-operator ServiceMonitor. Plain data, like the rest of the model.
 */

// ---------------------------------------------------------------- network policy

export interface IpBlock {
  readonly cidr: string;
  readonly except: readonly string[];
  readonly span: Span;
}

/** One element of `from` / `to`. Both selectors in one element are ANDed. */
export interface NetworkPolicyPeer {
  readonly podSelector: LabelSelector | undefined;
  readonly namespaceSelector: LabelSelector | undefined;
  readonly ipBlock: IpBlock | undefined;
  readonly span: Span;
}

export interface NetworkPolicyPort {
  /** Effective protocol (default TCP). */
  readonly protocol: string;
  /** A number or a named port; undefined = every port of the protocol. */
  readonly port: ScalarRef | undefined;
  readonly endPort: number | undefined;
  readonly span: Span;
}

export interface NetworkPolicyRule {
  /** Empty `from`/`to` (or absent) = every peer. */
  readonly peers: readonly NetworkPolicyPeer[];
  /** Empty (or absent) = every port. */
  readonly ports: readonly NetworkPolicyPort[];
  readonly index: number;
  readonly span: Span;
}

export type PolicyType = 'Ingress' | 'Egress';

export interface NetworkPolicy extends ResourceBase {
  readonly type: 'networkPolicy';
  /** `{}` (or absent, which the API rejects) selects every pod of the namespace. */
  readonly podSelector: LabelSelector | undefined;
  /** Effective policy types: as written, or Ingress plus Egress when `egress` is present. */
  readonly policyTypes: readonly PolicyType[];
  readonly ingress: readonly NetworkPolicyRule[];
  readonly egress: readonly NetworkPolicyRule[];
  /** The `ingress` / `egress` keys, for messages. */
  readonly ingressKeySpan: Span | undefined;
  readonly egressKeySpan: Span | undefined;
}

// ---------------------------------------------------------------- autoscaling, disruption budgets, monitoring

export interface HorizontalPodAutoscaler extends ResourceBase {
  readonly type: 'autoscaler';
  readonly scaleTarget: {
    readonly apiVersion: string | undefined;
    readonly kind: ScalarRef<string> | undefined;
    readonly name: ScalarRef<string> | undefined;
    readonly span: Span;
  } | undefined;
  /** The `spec` key, where a missing scaleTargetRef is reported. */
  readonly specKeySpan: Span | undefined;
  /** `minReplicas` (the API defaults it to 1); undefined when not a number. */
  readonly minReplicas: number | undefined;
}

export interface PodDisruptionBudget extends ResourceBase {
  readonly type: 'disruptionBudget';
  readonly selector: LabelSelector | undefined;
  /** An integer or a percentage string, as written. */
  readonly minAvailable: { readonly keySpan: Span; readonly value: ScalarRef | undefined } | undefined;
  readonly maxUnavailable: { readonly keySpan: Span; readonly value: ScalarRef | undefined } | undefined;
}

export interface ServiceMonitorEndpoint {
  /** Name of a Service port. */
  readonly port: ScalarRef<string> | undefined;
  readonly span: Span;
}

export interface ServiceMonitor extends ResourceBase {
  readonly type: 'serviceMonitor';
  /** Matches Services' own labels (metadata.labels). */
  readonly selector: LabelSelector | undefined;
  /** `namespaceSelector.any: true`. */
  readonly anyNamespace: boolean;
  /** `namespaceSelector.matchNames`; empty = the ServiceMonitor's own namespace. */
  readonly matchNames: readonly string[];
  readonly endpoints: readonly ServiceMonitorEndpoint[];
}

export type PolicyResource = NetworkPolicy | HorizontalPodAutoscaler | PodDisruptionBudget | ServiceMonitor;
