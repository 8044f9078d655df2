import type { Severity, Span } from '../types';

/**
 * What a renderer (native Kustomize, Helm) produces for one variant: YAML documents that are
 * analysed like files, and a map from each part of them back to the lines people wrote.
 */

/** A place in a workspace file. */
export interface Origin {
  readonly uri: string;
  readonly span: Span;
}

/** One entry of a source map: a span of the rendered text and where it came from. */
export interface SourceMapping {
  /** Offsets in the rendered document's text. */
  readonly span: Span;
  /** Where the value (or key) was written: a base line, a patch line, a kustomization line, a template line. */
  readonly origin: Origin;
  /** Other places involved, shown as related information (the base a patch changed, a values line). */
  readonly related?: readonly (Origin & { readonly message: string })[];
}

/** A rendered YAML document (one object). */
export interface RenderedDocument {
  /** A virtual URI, unique across variants: `kube-traffic-render:/<variant>/<index>`. Never a file. */
  readonly uri: string;
  readonly text: string;
  /** Mappings, sorted by span start; they nest (a key inside its object): the innermost one wins. */
  readonly map: readonly SourceMapping[];
}

/** A problem of the render itself (kustomize's own errors, unmodelled features), at a source line. */
export interface RenderProblem {
  readonly code: string;
  readonly severity?: Severity;
  readonly uri: string;
  readonly span: Span;
  readonly message: string;
  readonly related?: readonly (Origin & { readonly message: string })[];
}

export interface VariantRender {
  /** contracts.md: path relative to the workspace, `/`-separated (`deploy/overlays/prod`, `charts/podinfo:values-prod.yaml`). */
  readonly name: string;
  /** Undefined when the render failed: then `problems` says why (an error), and nothing is analysed. */
  readonly documents: readonly RenderedDocument[] | undefined;
  readonly problems: readonly RenderProblem[];
  /** Every workspace file the render read (a change to one re-renders the variant). */
  readonly inputs: ReadonlySet<string>;
  /**
   * Texts of source files the workspace does not index (a chart's `_helpers.tpl`), so that source
   * maps and related information can point into them.
   */
  readonly sources?: ReadonlyMap<string, string>;
}
