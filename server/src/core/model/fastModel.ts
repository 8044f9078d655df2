import { NeedsFullParse } from '../parse/scan/nodes';
import { scanDocument } from '../parse/scan/scanner';
import type { ModelCatalog } from './catalog';
import { extractFromRoot } from './extract';
import { patchRefsOf } from './kustomizeRefs';
import type { Resource } from './resources';

let enabled = true;

/**
 * Turns the fast scanner off, so that every document is read by the `yaml` package (the node entry
 * points do it when KT_FAST_SCAN=0: an A/B switch for the benchmark and for diagnosing a difference).
 */
export function setFastScan(on: boolean): void {
  enabled = on;
}

export function fastScanEnabled(): boolean {
  return enabled;
}

/** Does a line start with `//` (after blanks)? parseFile reports those (and recovers), so the scanner leaves them alone. */
function hasSlashLine(text: string): boolean {
  // Most `//` are in URLs: look back from each to the line start instead of a multiline regex.
  for (let i = text.indexOf('//'); i >= 0; i = text.indexOf('//', i + 2)) {
    let j = i - 1;
    while (j >= 0) {
      const c = text.charCodeAt(j);
      if (c !== 32 && c !== 9 && c !== 0xfeff) break;
      j--;
    }
    const c = j < 0 ? 10 : text.charCodeAt(j);
    // Line terminators as the regex of parseFile (multiline `^`) sees them.
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/**
 * The model of one document read by the fast scanner (parse/scan/scanner.ts) with the kind homes
 * run on its tree, or undefined when the document needs the `yaml` package: a template, a `//`
 * line, anything the scanner refuses, or a value the scanner did not build that a kind reads.
 * When it answers, the answer is what the full parse gives (test/unit/fastScan.test.ts), and the
 * document has no syntax problem.
 */
export function scanModel(source: string, catalog: ModelCatalog): { problems: readonly never[]; resources: Resource[]; patchRefs: string[] } | undefined {
  if (source.includes('{{') || hasSlashLine(source)) return undefined;
  const scanned = scanDocument(source);
  if (!scanned) return undefined;
  try {
    const resources: Resource[] = [];
    extractFromRoot('', 0, scanned.root, undefined, catalog, resources);
    return { problems: [], resources, patchRefs: patchRefsOf(scanned.root, undefined) };
  } catch (e) {
    if (e instanceof NeedsFullParse) return undefined;
    throw e;
  }
}
