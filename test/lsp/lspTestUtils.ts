/**
 * Shared helpers of the LSP tests (not a test file itself): fixture paths and URIs, temp copies,
 * positions by text, applying WorkspaceEdits in memory. The session itself (starting a server,
 * waiting for diagnostics and status, watched files, settings) is test/helpers/lsp.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Position, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { tempDir } from '../helpers/disk';

export const FIXTURES = path.resolve(__dirname, 'fixtures');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** The file: URI of a path relative to a folder. */
export function uriOf(folder: string, rel: string): string {
  return pathToFileURL(path.join(folder, rel)).href;
}

export function read(folder: string, rel: string): string {
  return fs.readFileSync(path.join(folder, rel), 'utf8');
}

/** A private copy of a fixture in os.tmpdir(), for tests that write files. */
export function tempCopy(name: string): string {
  const dir = tempDir(`lsp-${name}`);
  fs.cpSync(fixture(name), dir, { recursive: true });
  return dir;
}

/** Position of the `occurrence`-th (0-based) `needle` in `text`, plus `delta` characters. */
export function posOf(text: string, needle: string, occurrence = 0, delta = 0): Position {
  let idx = -1;
  for (let i = 0; i <= occurrence; i++) {
    idx = text.indexOf(needle, idx + 1);
    if (idx < 0) throw new Error(`${JSON.stringify(needle)} #${occurrence} not found`);
  }
  idx += delta;
  const before = text.slice(0, idx);
  const line = before.split('\n').length - 1;
  return { line, character: idx - (before.lastIndexOf('\n') + 1) };
}

/** 0-based line of the `occurrence`-th line containing `needle`. */
export function lineOf(text: string, needle: string, occurrence = 0): number {
  return posOf(text, needle, occurrence).line;
}

function offsetAt(text: string, p: Position): number {
  const lines = text.split('\n');
  let off = 0;
  for (let i = 0; i < p.line; i++) off += lines[i]!.length + 1;
  return off + p.character;
}

/** Applies LSP TextEdits (non-overlapping, any order) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].map((e) => ({ s: offsetAt(text, e.range.start), e: offsetAt(text, e.range.end), t: e.newText }))
    .sort((a, b) => b.s - a.s || b.e - a.e);
  let out = text;
  for (const x of sorted) out = out.slice(0, x.s) + x.t + out.slice(x.e);
  return out;
}

/** Applies a WorkspaceEdit (`changes` or `documentChanges`) to in-memory texts keyed by URI. */
export function applyWorkspaceEdit(edit: WorkspaceEdit, texts: Record<string, string>): Record<string, string> {
  const out = { ...texts };
  const byUri: Record<string, TextEdit[]> = { ...(edit.changes ?? {}) };
  for (const dc of edit.documentChanges ?? []) {
    if ('textDocument' in dc) (byUri[dc.textDocument.uri] ??= []).push(...(dc.edits as TextEdit[]));
  }
  for (const [uri, edits] of Object.entries(byUri)) {
    if (out[uri] === undefined) throw new Error(`edit for a document the test did not provide: ${uri}`);
    out[uri] = applyEdits(out[uri]!, edits);
  }
  return out;
}
