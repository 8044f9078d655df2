/**
 * docs/rules.md as data: each rule's section under its `## <code>` heading. The heading is exactly
 * the code, so its anchor (GitHub's and VS Code's Markdown preview's slug) is the code itself:
 * `docs/rules.md#node-port-conflict`. Pure text processing; callers read the file.
 */

/** The anchor of a rule's section in docs/rules.md. */
export function ruleAnchor(code: string): string {
  return code;
}

/**
 * The rule sections of docs/rules.md by code: from `## <code>` up to the next level-1 or level-2
 * heading. Lines inside fenced code blocks (YAML comments start with `#` too) are not headings.
 */
export function ruleSections(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  let code: string | undefined;
  let body: string[] = [];
  let fence: string | undefined;
  const close = () => {
    if (code !== undefined) sections.set(code, body.join('\n').trim());
    code = undefined;
    body = [];
  };
  for (const line of markdown.split(/\r?\n/)) {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) fence = fence === undefined ? marker : undefined;
    else if (fence === undefined && /^#{1,2} /.test(line)) {
      close();
      const m = /^## ([a-z0-9][a-z0-9-]*)\s*$/.exec(line);
      if (m) code = m[1];
      continue;
    }
    if (code !== undefined) body.push(line);
  }
  close();
  return sections;
}
