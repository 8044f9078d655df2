import { resolvePlain } from './scalars';

/**
 * The node tree of the fast scanner (scan/scanner.ts): the small part of the `yaml` package's node
 * API that model/yamlAccess.ts reads (`items`, `key`, `value`, `type`, and ranges as `start`,
 * `end`, `end2` = the `yaml` range [0], [1], [2]). The kind homes read either tree through
 * yamlAccess, so what a kind extracts is written once.
 *
 * A value the scanner checked but did not build (a flow collection, a block scalar, a scalar over
 * several lines) is an OpaqueNode: reading it throws NeedsFullParse, and the document is parsed
 * again by the `yaml` package. Only the fields a kind actually reads decide it.
 */

/** Thrown when an extraction reads a value the scanner did not build: the caller parses the document fully. */
export class NeedsFullParse extends Error {
  constructor(readonly why: string) {
    super(`needs the full parser: ${why}`);
  }
}

export type ScanNode = ScanMap | ScanSeq | ScanScalar | OpaqueNode;

export type ScalarStyle = 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE';

/**
 * A single-line scalar. `text` is its content (quotes removed, escapes applied), or undefined for
 * a plain scalar not cut from `src` yet; the value is resolved when first read.
 */
export class ScanScalar {
  private resolved = false;
  private cached: unknown;
  constructor(
    readonly start: number, readonly end: number, public end2: number,
    readonly type: ScalarStyle, private readonly text: string | undefined, private readonly src: string,
  ) {}

  /** The value as the `yaml` package's core schema gives it (null, boolean, number or string). */
  get value(): unknown {
    if (!this.resolved) {
      const text = this.text ?? this.src.slice(this.start, this.end);
      this.cached = this.type === 'PLAIN' ? resolvePlain(text) : text;
      this.resolved = true;
    }
    return this.cached;
  }
}

export class ScanPair {
  constructor(readonly key: ScanScalar, public value: ScanNode) {}
}

export class ScanMap {
  readonly items: ScanPair[] = [];
  end = 0;
  end2 = 0;
  constructor(readonly start: number, readonly indent: number) {}
}

export class ScanSeq {
  readonly items: ScanNode[] = [];
  end = 0;
  end2 = 0;
  constructor(readonly start: number, readonly indent: number) {}
}

/** A value that was validated but not built; any read of it needs the full parser. */
export class OpaqueNode {
  constructor(readonly start: number, readonly end: number, public end2: number, readonly why: string) {}
}

export const isScanNode = (n: unknown): n is ScanNode =>
  n instanceof ScanMap || n instanceof ScanScalar || n instanceof ScanSeq || n instanceof OpaqueNode;
