/**
 * Keystroke latency: a file is opened, then one edit is applied and reverted N times, each timed
 * from sending the didChange to the file's next publishDiagnostics (or, for a typing edit that
 * changes no diagnostic, to the end of the server's pass). Edits are incremental (a range), or the
 * whole text for the full-text series.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Range } from 'vscode-languageserver-protocol/node';
import { CAP, EDITS, FULL_EDITS, budget, overBudget, sleep, stats, within, type Stats, type Target, type Workspace } from './common';
import { keystrokeCandidates, lineStarts, positionAt, typingEdit, type Edit } from './edits';
import type { LspClient } from './lsp';

export const uriOf = (ws: Workspace, rel: string) => pathToFileURL(path.join(ws.dir, rel)).href;

export interface KeystrokeResult {
  file: string; label: string; edit?: string; samples: number[]; pass: number[]; passTimeouts: number; stats?: Stats; passStats?: Stats;
  timeouts: number; note?: string; fullText?: boolean;
}

/** The incremental change that applies `edit` (insert) or reverts it. */
export function editRange(starts: number[], e: Edit, insert: boolean): { range: Range; text: string } {
  const from = positionAt(starts, e.offset);
  if (insert) return { range: { start: from, end: from }, text: e.text };
  // The inserted text may contain a newline (the `//` line at the top).
  const insertedLines = e.text.split('\n');
  const end = insertedLines.length > 1
    ? { line: from.line + insertedLines.length - 1, character: insertedLines[insertedLines.length - 1]!.length }
    : { line: from.line, character: from.character + e.text.length };
  return { range: { start: from, end }, text: '' };
}

/** Sends the edit (or its revert) as a range change, or as the whole new text. */
function send(client: LspClient, uri: string, version: number, original: string, starts: number[], e: Edit, insert: boolean, fullText: boolean): void {
  if (fullText) client.changeFull(uri, version, insert ? original.slice(0, e.offset) + e.text + original.slice(e.offset) : original);
  else {
    const { range, text } = editRange(starts, e, insert);
    client.change(uri, version, range, text);
  }
}

/** Opens a file and waits until the server has gone through it (Kube Traffic: the pass after the open). */
export async function openAndSettle(client: LspClient, uri: string, text: string, kt: boolean): Promise<void> {
  const readies = client.readyCount();
  const pubs = client.publishCount.get(uri) ?? 0;
  client.open(uri, text, 1);
  // Kube Traffic: its first message for the opened file (open documents always get one) and the
  // end of a pass, so that no later wait counts the open's publish as an edit's.
  if (kt) await client.until(() => client.readyCount() > readies && (client.publishCount.get(uri) ?? 0) > pubs, within(CAP.passMs * 3));
  else await client.until(() => (client.publishCount.get(uri) ?? 0) > pubs, within(CAP.publishMs));
}

/**
 * Applies `edit` then its revert, untimed; true when both made `watchUri` publish (its diagnostics
 * changed both ways). Kube Traffic: waits for the end of each pass too.
 */
export async function toggleTwice(client: LspClient, uri: string, starts: number[], e: Edit, version: { v: number }, watchUri: string, kt: boolean, timeoutMs: number): Promise<boolean> {
  let ok = true;
  for (const insert of [true, false]) {
    const pubs = client.publishCount.get(watchUri) ?? 0;
    const readies = client.readyCount();
    const { range, text } = editRange(starts, e, insert);
    client.change(uri, ++version.v, range, text);
    if (!await client.until(() => (client.publishCount.get(watchUri) ?? 0) > pubs, within(timeoutMs, insert ? 0 : 1000))) ok = false;
    if (kt) await client.until(() => client.readyCount() > readies, within(CAP.passMs, insert ? 0 : 1000));
  }
  return ok;
}

/** The first candidate keystroke that makes the server publish both ways (a warm-up too). */
async function chooseEdit(client: LspClient, uri: string, text: string, version: { v: number }): Promise<Edit | undefined> {
  const starts = lineStarts(text);
  const candidates = keystrokeCandidates(text, Math.floor(text.length / 2));
  // A few of each kind: Service edits can fail when another workload matches anyway.
  const perKind = new Map<string, number>();
  for (const e of candidates) {
    if (overBudget()) return undefined;
    const kind = e.text;
    if ((perKind.get(kind) ?? 0) >= 4) continue;
    perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
    if (await toggleTwice(client, uri, starts, e, version, uri, true, CAP.passMs)) return e;
  }
  return undefined;
}

/** One keystroke series on `target`; `given` is an edit chosen earlier (yaml-language-server, the full-text series). */
export async function measureKeystrokes(client: LspClient, ws: Workspace, target: Target, kt: boolean, budgetMs: number, given?: Edit): Promise<KeystrokeResult & { chosen?: Edit }> {
  const uri = uriOf(ws, target.rel);
  const text = fs.readFileSync(path.join(ws.dir, target.rel), 'utf8');
  const starts = lineStarts(text);
  const fullText = !!target.fullText;
  const count = fullText ? FULL_EDITS : EDITS;
  const result: KeystrokeResult & { chosen?: Edit } = { file: target.rel, label: target.label, samples: [], pass: [], passTimeouts: 0, timeouts: 0, ...(fullText ? { fullText } : {}) };
  const deadline = performance.now() + budgetMs;
  budget.m = deadline;
  await openAndSettle(client, uri, text, kt);
  const version = { v: 1 };
  // Completion: the file's next publishDiagnostics, or for a typing edit (no diagnostic changes) the pass's 'ready'.
  const byReady = kt && !!target.typing;
  let edit = given;
  if (byReady) {
    edit = typingEdit(text, Math.floor(text.length / 2));
    if (edit) {
      // Warm-up: once in, once out.
      for (const insert of [true, false]) {
        const readies = client.readyCount();
        send(client, uri, ++version.v, text, starts, edit, insert, false);
        await client.until(() => client.readyCount() > readies, within(CAP.passMs, 1000));
      }
    }
  } else if (!edit) edit = await chooseEdit(client, uri, text, version);
  else if (!kt || fullText) await toggleTwice(client, uri, starts, edit, version, uri, kt, kt ? CAP.passMs : CAP.publishMs); // warm-up
  if (!edit) {
    result.note = overBudget() ? `no sample in the time budget (${(budgetMs / 1000).toFixed(0)} s): opening and the warm-up took it` : 'no edit toggled a diagnostic';
    client.close(uri);
    budget.m = Infinity;
    return result;
  }
  result.edit = edit.what + (fullText ? ', sent as the whole text' : '');
  if (!byReady) result.chosen = edit;
  for (let i = 0; i < count; i++) {
    if (performance.now() > deadline) {
      result.note = `${i} of ${count} edits in the time budget (${(budgetMs / 1000).toFixed(0)} s)`;
      break;
    }
    const pubs = client.publishCount.get(uri) ?? 0;
    const readies = client.readyCount();
    const sent = performance.now();
    send(client, uri, ++version.v, text, starts, edit, i % 2 === 0, fullText);
    const ok = byReady
      ? await client.until(() => client.readyCount() > readies, within(CAP.publishMs, 1000))
      : await client.until(() => (client.publishCount.get(uri) ?? 0) > pubs, within(CAP.publishMs, 1000));
    if (!ok) {
      if (performance.now() - sent < CAP.publishMs) {
        result.note = `${i} of ${count} edits in the time budget (${(budgetMs / 1000).toFixed(0)} s); the last one took over ${((performance.now() - sent) / 1000).toFixed(1)} s`;
      } else {
        result.timeouts++;
        result.note = `timeout > ${CAP.publishMs / 1000} s`;
      }
      break;
    }
    if (byReady) {
      result.samples.push(client.statuses.filter((x) => x.params.type === 'ready').at(-1)!.at - sent);
      continue;
    }
    result.samples.push(client.lastPublishAt.get(uri)! - sent);
    if (kt) {
      const done = await client.until(() => client.readyCount() > readies, within(CAP.passMs));
      if (done) result.pass.push(client.statuses.filter((s) => s.params.type === 'ready').at(-1)!.at - sent);
      else result.passTimeouts++;
    } else {
      await sleep(5);
    }
  }
  // Leave the document as on disk.
  if (result.samples.length % 2 === 1 || result.timeouts) {
    const readies = client.readyCount();
    if (result.samples.length % 2 === 1) send(client, uri, ++version.v, text, starts, edit, false, fullText);
    if (kt) await client.until(() => client.readyCount() > readies, within(CAP.passMs, 1000));
  }
  client.close(uri);
  budget.m = Infinity;
  result.stats = stats(result.samples);
  result.passStats = stats(result.pass);
  return result;
}
