import type { IndexReads } from '../index/workspaceIndex';
import { isServiceBackendRef, type BackendObjectRef } from '../model/resources';

/**
 * What a backendRef points at. Services are core; a few other kinds are implementation-specific
 * backends with wide support (multicluster ServiceImport, Gateway API Inference Extension pools,
 * Istio hostnames, Envoy Gateway backends), and an object of the named kind in the workspace is
 * evidence its implementation knows it. Anything else: the implementation sets ResolvedRefs False
 * (InvalidKind) and requests sent to it get a 500.
 */
const KNOWN_BACKENDS: Readonly<Record<string, readonly string[]>> = {
  ServiceImport: ['multicluster.x-k8s.io'],
  InferencePool: ['inference.networking.k8s.io', 'inference.networking.x-k8s.io'],
  Hostname: ['networking.istio.io'],
  Backend: ['gateway.envoyproxy.io'],
};

export type BackendKind =
  | { readonly kind: 'service' }
  /** Implementation-specific: not traced. */
  | { readonly kind: 'other'; readonly why: string }
  | { readonly kind: 'unknown' };

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

export function backendKind(index: IndexReads, ref: BackendObjectRef, namespace: string | undefined): BackendKind {
  if (isServiceBackendRef(ref)) return { kind: 'service' };
  if (KNOWN_BACKENDS[ref.kind]?.includes(ref.group)) return { kind: 'other', why: `${ref.kind} (${ref.group}) is an implementation-specific backend` };
  const name = ref.name?.value;
  if (name && index.named(ref.kind, name, namespace).some((r) => groupOf(r.apiVersion) === ref.group)) {
    return { kind: 'other', why: `${ref.kind} ${name} (${ref.group}) is in the workspace; what it does is implementation-specific` };
  }
  return { kind: 'unknown' };
}

export const groupText = (group: string): string => group || 'core';
