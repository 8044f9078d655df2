import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

/** Opens a rule's section of the shipped docs/rules.md: `command:kubeTraffic.showRule?["<code>"]`. */
export const SHOW_RULE_COMMAND = 'kubeTraffic.showRule';

/**
 * The server links a diagnostic's code to `file:///…/docs/rules.md#<code>`, which suits any editor.
 * In VS Code, opening that link shows the Markdown source from its first line (the opener reads
 * only `#L<line>` fragments), so the code link becomes a command URI instead (the Problems panel
 * and the hover open code links with commands allowed): the rendered rule, offline.
 */
export function ruleLinkMiddleware(): Middleware {
  return {
    handleDiagnostics(uri, diagnostics, next) {
      for (const d of diagnostics) {
        const code = d.code;
        if (typeof code !== 'object' || !isRulesDocLink(code.target)) continue;
        d.code = { value: code.value, target: showRuleUri(String(code.value)) };
      }
      next(uri, diagnostics);
    },
  };
}

function isRulesDocLink(target: vscode.Uri): boolean {
  return target.scheme === 'file' && target.path.endsWith('/docs/rules.md');
}

function showRuleUri(code: string): vscode.Uri {
  return vscode.Uri.parse(`command:${SHOW_RULE_COMMAND}?${encodeURIComponent(JSON.stringify([code]))}`);
}

/**
 * Shows docs/rules.md in the Markdown preview scrolled to the rule (the preview scrolls to a URI's
 * fragment; the heading `## <code>` has the anchor `<code>`), or, without the built-in Markdown
 * extension, the file in a text editor at the heading.
 */
export async function showRule(extensionUri: vscode.Uri, code: unknown): Promise<void> {
  const doc = vscode.Uri.joinPath(extensionUri, 'docs/rules.md');
  const rule = typeof code === 'string' && /^[a-z0-9-]+$/.test(code) ? code : undefined;
  try {
    // Activates the built-in Markdown extension if needed (getCommands would not list it yet).
    await vscode.commands.executeCommand('markdown.showPreview', rule ? doc.with({ fragment: rule }) : doc);
    return;
  } catch {
    // No Markdown extension (disabled, or a stripped-down editor): the source at the heading.
  }
  const text = await vscode.workspace.openTextDocument(doc);
  const line = rule ? text.getText().split('\n').findIndex((l) => l.trimEnd() === `## ${rule}`) : -1;
  const at = new vscode.Range(Math.max(line, 0), 0, Math.max(line, 0), 0);
  const editor = await vscode.window.showTextDocument(text, { selection: at, preview: true });
  editor.revealRange(at, vscode.TextEditorRevealType.AtTop);
}
