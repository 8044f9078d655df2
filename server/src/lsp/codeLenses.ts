import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, MessageType, ResponseError, ShowMessageNotification, type CodeLens, type Connection } from 'vscode-languageserver';
import type { TrafficLens } from '../core/features/codeLens';
import {
  OPEN_LOCATIONS_COMMAND, SHOW_LOCATIONS_COMMAND, SHOW_TOPOLOGY_COMMAND, isOpenLocationsArgs,
  type LspLocation, type OpenLocationsArgs, type ShowLocationsArgs,
} from '../protocol/messages';

/**
 * The core's traffic lenses as LSP code lenses. For the VS Code extension: a codicon on the
 * "topology" lens, and the extension's own commands (the references peek, the topology view; a
 * lens with nothing to open carries the empty command, shown as plain text). For every other
 * editor: plain titles, and each lens carries OPEN_LOCATIONS_COMMAND, which the server executes
 * (a lens without a command shows as unresolved there); the topology view exists only in VS Code.
 */
export function toLspCodeLenses(lenses: readonly TrafficLens[], uri: string, vscode: boolean): CodeLens[] {
  const out: CodeLens[] = [];
  for (const l of lenses) {
    if (vscode) {
      const command = l.action === 'topology'
        ? { title: '$(type-hierarchy) topology', command: SHOW_TOPOLOGY_COMMAND, arguments: [uri] }
        : { title: l.title, command: l.locations.length ? SHOW_LOCATIONS_COMMAND : '', arguments: [uri, l.range.start, l.locations] satisfies ShowLocationsArgs as unknown[] };
      out.push({ range: l.range, command });
    } else if (l.action !== 'topology') {
      const args: OpenLocationsArgs = [l.title, l.locations];
      out.push({ range: l.range, command: { title: l.title, command: OPEN_LOCATIONS_COMMAND, arguments: [...args] } });
    }
  }
  return out;
}

export interface LensCommandContext {
  /** The client announced `window.showDocument.support`. */
  readonly canShowDocument: () => boolean;
  /** Workspace folders (file system paths), to name files by their relative path. */
  readonly roots: () => readonly string[];
}

/** Answers `workspace/executeCommand` for the commands the server executes itself (SERVER_COMMANDS). */
export function registerLensCommands(connection: Connection, ctx: LensCommandContext): void {
  connection.onExecuteCommand(async (p) => {
    if (p.command !== OPEN_LOCATIONS_COMMAND) {
      throw new ResponseError(ErrorCodes.InvalidParams, `Kube Traffic: unknown command ${JSON.stringify(p.command)}`);
    }
    if (!isOpenLocationsArgs(p.arguments)) {
      throw new ResponseError(ErrorCodes.InvalidParams, `Kube Traffic: ${OPEN_LOCATIONS_COMMAND} expects [title: string, locations: Location[]]`);
    }
    await openLocations(connection, ctx, p.arguments);
    return null;
  });
}

async function openLocations(connection: Connection, ctx: LensCommandContext, [title, locations]: OpenLocationsArgs): Promise<void> {
  const first = locations[0];
  let opened = false;
  if (first && ctx.canShowDocument()) {
    try {
      opened = (await connection.window.showDocument({ uri: first.uri, selection: first.range, takeFocus: true })).success;
    } catch (e) {
      connection.console.warn(`Kube Traffic: window/showDocument failed: ${String(e)}`);
    }
  }
  if (opened && locations.length === 1) return;
  const list = locations.map((l) => describe(l, ctx.roots())).join(', ');
  const text = locations.length === 0
    ? `Kube Traffic: ${title} (nothing to open)`
    : `Kube Traffic: ${title}: ${list}${opened ? ' (opened the first)' : ''}`;
  // A notification, not window/showMessageRequest: nothing to answer, nothing that waits.
  void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: text });
}

/** `shop/frontend.yaml:12` (1-based line), relative to the workspace folder that holds it. */
function describe(l: LspLocation, roots: readonly string[]): string {
  let name = l.uri;
  try {
    const file = fileURLToPath(l.uri);
    const root = roots.find((r) => !path.relative(r, file).startsWith('..'));
    name = root ? path.relative(root, file) : file;
  } catch {
    // not a file: URI; name it by its URI
  }
  return `${name}:${l.range.start.line + 1}`;
}
