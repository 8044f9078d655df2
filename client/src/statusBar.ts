import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol/messages';

export const OPEN_PROBLEMS_COMMAND = 'workbench.actions.view.problems';
export const RESTART_COMMAND = 'kubeTraffic.restartServer';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The status bar item: "starting", indexing progress, then the problem counts the server reports
 * (StatusNotification), or "stopped" when the server gave up. Clicking opens the Problems view
 * (or restarts a stopped server).
 */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('kubeTraffic.status', vscode.StatusBarAlignment.Left, 0);
    this.item.name = 'Kube Traffic';
    this.starting();
    this.item.show();
  }

  starting(): void {
    this.set('$(sync~spin) Kube Traffic', 'Kube Traffic: starting the language server…', OPEN_PROBLEMS_COMMAND);
  }

  stopped(reason: string): void {
    this.set('$(error) Kube Traffic: stopped', `Kube Traffic: ${reason}\nClick to restart the language server.`, RESTART_COMMAND);
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  }

  update(status: StatusParams): void {
    if (status.type === 'indexing') {
      this.set(
        `$(sync~spin) Kube Traffic: indexing ${status.done}/${status.total}`,
        `Kube Traffic: reading the workspace's manifests (${status.done} of ${plural(status.total, 'file')}).`,
        OPEN_PROBLEMS_COMMAND,
      );
      return;
    }
    const { files, resources, errors, warnings, infos, indexMs } = status;
    const text = errors === 0 && warnings === 0 ? '$(check) Kube Traffic' : `Kube Traffic $(error) ${errors} $(warning) ${warnings}`;
    const lines = [
      `Kube Traffic: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${infos} information`,
      `${plural(resources, 'Kubernetes resource')} in ${plural(files, 'YAML file')}` +
        (indexMs !== undefined ? ` (indexed in ${indexMs} ms)` : ''),
      'Click to open the Problems view.',
    ];
    this.set(text, lines.join('\n'), OPEN_PROBLEMS_COMMAND);
  }

  private set(text: string, tooltip: string, command: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = command;
    this.item.backgroundColor = undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
