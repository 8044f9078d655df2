import type { Origin, RenderProblem } from '../render/types';
import type { Severity } from '../types';
import type { Note } from './tree';

/** The codes the engine reports (also in rules/catalogue.ts and docs/rules.md). */
export type KustomizeCode =
  | 'kustomize-resource-missing'
  | 'kustomize-cycle'
  | 'kustomize-patch-target-missing'
  | 'kustomize-patch-invalid'
  | 'kustomize-build-failed'
  | 'kustomize-not-modelled'
  | 'kustomize-patch-matches-nothing';

export const KUSTOMIZE_SEVERITY: Readonly<Record<KustomizeCode, Severity>> = {
  'kustomize-resource-missing': 'error',
  'kustomize-cycle': 'error',
  'kustomize-patch-target-missing': 'error',
  'kustomize-patch-invalid': 'error',
  'kustomize-build-failed': 'error',
  'kustomize-not-modelled': 'information',
  'kustomize-patch-matches-nothing': 'warning',
};

/**
 * A failure of the build that kustomize itself reports: the render stops and has no documents.
 * `at` is the offending line (a kustomization entry, a patch line, a resource file).
 */
export class KustomizeFailure extends Error {
  constructor(
    readonly code: KustomizeCode,
    readonly at: Origin,
    message: string,
    readonly related: readonly Note[] = [],
  ) {
    super(message);
  }

  toProblem(): RenderProblem {
    return problem(this.code, this.at, this.message, this.related);
  }
}

export function problem(code: KustomizeCode, at: Origin, message: string, related: readonly Note[] = []): RenderProblem {
  const p: RenderProblem = { code, severity: KUSTOMIZE_SEVERITY[code], uri: at.uri, span: at.span, message };
  return related.length > 0 ? { ...p, related } : p;
}

export function fail(code: KustomizeCode, at: Origin, message: string, related: readonly Note[] = []): never {
  throw new KustomizeFailure(code, at, message, related);
}
