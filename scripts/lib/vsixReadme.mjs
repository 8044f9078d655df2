// The README shown on the extension's details page, made from the repository's README.md.
//
// VS Code renders an installed extension's README in a webview whose Content-Security-Policy is
// `img-src https: data:` and whose sanitizer keeps only http(s)/command links (data: for images);
// links it does not drop open only when they are http(s) or mailto. Relative paths resolve against
// the workbench, never against the extension's folder. So, without a web address to point at:
//   - images are inlined as data: URIs (base64 of the very files in docs/images);
//   - links to files of the repository become plain text (nothing on that page could open them);
//   - in-page #anchors, http(s) and mailto links are kept.
// The repository's README keeps its relative links, for GitHub-like viewers.
import { readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';

const MIME = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

/** Markdown links and images outside fenced code blocks: `[text](target)` / `![alt](target)`. */
const LINK = /(!?)\[([^\]\n]*)\]\(([^)\s]+)\)/g;

function isKept(target) {
  return target.startsWith('#') || /^(https?|mailto):/i.test(target) || target.startsWith('data:');
}

/**
 * @param {string} markdown README.md's text
 * @param {string} root the folder README.md's relative paths are relative to
 * @returns {{ text: string, images: string[], unlinked: string[] }} the page's markdown, the
 *   inlined image paths and the links turned into text (both relative to root)
 */
export function vsixReadme(markdown, root) {
  const images = [];
  const unlinked = [];
  let inFence = false;
  const lines = markdown.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      return line;
    }
    if (inFence) return line;
    if (/<img\b/i.test(line)) throw new Error(`README.md: use markdown images, not <img> (${line.trim()})`);
    return line.replace(LINK, (all, bang, text, target) => {
      if (isKept(target)) return all;
      const rel = decodeURIComponent(target.split('#')[0]);
      const file = path.resolve(root, rel);
      if (!existsSync(file)) throw new Error(`README.md links to ${target}, which does not exist`);
      if (bang) {
        const mime = MIME[path.extname(file).toLowerCase()];
        if (!mime) throw new Error(`README.md: image ${target} must be PNG, JPEG, GIF or WebP (the details page admits no SVG)`);
        images.push(rel);
        return `![${text}](data:${mime};base64,${readFileSync(file).toString('base64')})`;
      }
      unlinked.push(rel);
      // The path is what a reader needs to find it in the source; say it once.
      return text === rel || text === `\`${rel}\`` ? `\`${rel}\`` : `${text} (\`${rel}\`)`;
    });
  });
  return { text: lines.join('\n'), images, unlinked };
}
