/**
 * The VS Code side of Kube Traffic: starts the bundled language server (server/out/server.js)
 * over IPC, shows its status in the status bar, restarts it when it crashes, and turns the
 * code lenses' location lists into VS Code's references peek. Everything else (diagnostics,
 * hovers, navigation, settings) is standard LSP handled by vscode-languageclient.
 */
import * as vscode from 'vscode';
import { SHOW_LOCATIONS_COMMAND } from '../../server/src/protocol/messages';
import { SHOW_TOPOLOGY_COMMAND, TopologyPanel } from './topologyPanel';
import { showLocations } from './locations';
import { ServerManager, type ServerStats } from './serverManager';
import { RESTART_COMMAND, StatusBar } from './statusBar';
import { RenderedManifests } from './renderedManifest';
import { TrafficCommands } from './trafficCommands';
import { SHOW_RULE_COMMAND, showRule } from './ruleDocs';

const CLIENT_NAME = 'Kube Traffic';

let manager: ServerManager | undefined;

/** What the extension exports (used by the end-to-end tests). */
export interface KubeTrafficApi {
  readonly topology: { lastRendered(): { nodes: number; edges: number; brokenEdges: number } | undefined };
  readonly server: { stats(): ServerStats };
  readonly trace: { lastShown(): { nodes: number; edges: number } | undefined };
}

export async function activate(context: vscode.ExtensionContext): Promise<KubeTrafficApi> {
  const statusBar = new StatusBar();
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(statusBar, output);

  const mgr = new ServerManager(context, statusBar, output);
  manager = mgr;
  const traffic = new TrafficCommands(() => mgr.running(), {
    showTrace: (path, edges) => TopologyPanel.showTrace(context.extensionUri, mgr, output, path, edges),
  });
  context.subscriptions.push(
    mgr,
    vscode.commands.registerCommand(RESTART_COMMAND, () => mgr.restart()),
    vscode.commands.registerCommand(SHOW_LOCATIONS_COMMAND, showLocations),
    vscode.commands.registerCommand(SHOW_TOPOLOGY_COMMAND, () => TopologyPanel.show(context.extensionUri, mgr, output)),
    vscode.commands.registerCommand(SHOW_RULE_COMMAND, (code: unknown) => showRule(context.extensionUri, code)),
    ...traffic.register(),
    ...new RenderedManifests(() => mgr.running()).register(),
    // Helm renders only in trusted workspaces: the server learns of trust when it starts.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void mgr.restart()),
  );
  await mgr.start();
  return {
    topology: { lastRendered: () => TopologyPanel.lastRendered },
    server: { stats: () => mgr.stats() },
    trace: { lastShown: () => TopologyPanel.lastTraceShown },
  };
}

export async function deactivate(): Promise<void> {
  await manager?.stop();
  manager = undefined;
}

