import * as vscode from 'vscode';
import { isLspLocation, isLspPosition, type LspPosition, type LspRange } from '../../server/src/protocol/messages';

const toPosition = (p: LspPosition): vscode.Position => new vscode.Position(p.line, p.character);
const toRange = (r: LspRange): vscode.Range => new vscode.Range(toPosition(r.start), toPosition(r.end));

/**
 * Handler of SHOW_LOCATIONS_COMMAND, which the server's code lenses carry with LSP-shaped
 * arguments [uri, position, locations]: convert them and open VS Code's references peek.
 */
export async function showLocations(uri: unknown, position: unknown, locations: unknown): Promise<void> {
  if (typeof uri !== 'string' || !isLspPosition(position) || !Array.isArray(locations)) {
    throw new Error('kubeTraffic.showLocations expects [uri: string, position, locations[]]');
  }
  const targets = (locations as unknown[]).filter(isLspLocation)
    .map((l) => new vscode.Location(vscode.Uri.parse(l.uri), toRange(l.range)));
  await vscode.commands.executeCommand('editor.action.showReferences', vscode.Uri.parse(uri), toPosition(position), targets);
}
