import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleAnchor } from '../core/rules/ruleDocs';

/**
 * docs/rules.md as shipped beside the bundles: `server/out/*.js` in the extension (../../docs),
 * `dist/*.js` in the npm package (../docs). Undefined when it is not there (a bare bundle).
 */
export function findRulesDoc(bundleDir: string = __dirname): string | undefined {
  for (const rel of ['../docs/rules.md', '../../docs/rules.md']) {
    const file = path.resolve(bundleDir, rel);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/**
 * A function giving the file: URI of a rule's section (`…/docs/rules.md#<code>`), offline and
 * in any editor; undefined when docs/rules.md is not shipped, so no link is sent at all.
 */
export function ruleLinker(bundleDir?: string): (code: string) => string | undefined {
  const file = findRulesDoc(bundleDir);
  const base = file && pathToFileURL(file).href;
  return (code) => (base ? `${base}#${ruleAnchor(code)}` : undefined);
}
