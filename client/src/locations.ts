import * as vscode from 'vscode';
import type { LspLocation, LspPosition, LspRange } from '../../server/src/protocol/messages';

const toPosition = (p: LspPosition): vscode.Position => new vscode.Position(p.line, p.character);
const toRange = (r: LspRange): vscode.Range => new vscode.Range(toPosition(r.start), toPosition(r.end));

/**
 * Handler of SHOW_LOCATIONS_COMMAND, which the server's code lenses carry with LSP-shaped
 * arguments [uri, position, locations]: convert them and open VS Code's references peek.
 */
export async function showLocations(uri: unknown, position: unknown, locations: unknown): Promise<void> {
  if (typeof uri !== 'string' || !isPosition(position) || !Array.isArray(locations)) {
    throw new Error('kubeTraffic.showLocations expects [uri: string, position, locations[]]');
  }
  const targets = (locations as unknown[]).filter(isLocation)
    .map((l) => new vscode.Location(vscode.Uri.parse(l.uri), toRange(l.range)));
  await vscode.commands.executeCommand('editor.action.showReferences', vscode.Uri.parse(uri), toPosition(position), targets);
}

function isPosition(v: unknown): v is LspPosition {
  return typeof v === 'object' && v !== null
    && typeof (v as LspPosition).line === 'number' && typeof (v as LspPosition).character === 'number';
}

function isLocation(v: unknown): v is LspLocation {
  if (typeof v !== 'object' || v === null) return false;
  const l = v as LspLocation;
  return typeof l.uri === 'string' && typeof l.range === 'object' && l.range !== null
    && isPosition(l.range.start) && isPosition(l.range.end);
}
