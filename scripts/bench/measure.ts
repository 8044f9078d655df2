/**
 * The server-side measurements: the cold index and warm start (spawn → first complete diagnostics
 * pass), the settling of variant workspaces (renders done), cross-file latency, hover and
 * definition latency, and the persisted index the cold session leaves.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DefinitionRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { GraphRequest } from '../../server/src/protocol/messages';
import { CAP, CROSS_EDITS, PROBES, SERVER, budget, sleep, stats, within, type CrossPair, type Stats, type Workspace } from './common';
import { lineStarts, positionAt, probes, serviceSelector, templateLabelEnd, type Edit, type Probe } from './edits';
import { editRange, openAndSettle, toggleTwice, uriOf } from './keystrokes';
import { LspClient } from './lsp';

export function startKubeTraffic(ws: Workspace, storage: string, extraNodeArgs: string[] = []): LspClient {
  return new LspClient({
    command: process.execPath,
    args: [...extraNodeArgs, ...(process.env.KT_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), SERVER, '--stdio'],
    folder: ws.dir,
    settings: { kubeTraffic: ws.settings ?? {}, files: {} },
    // The server may keep a cache there one day; today it ignores the option.
    initializationOptions: { storagePath: storage },
  });
}

export interface IndexResult { readyMs?: number; lastPublishMs?: number; serverIndexMs?: number; publishes: number; files?: number; resources?: number; peakRssMb?: number; timeout?: number; skipped?: string }
export async function measureIndex(client: LspClient, capMs: number): Promise<IndexResult> {
  await client.initialize();
  const ok = await client.until(() => client.readyCount() > 0, capMs);
  const ready = client.statuses.find((s) => s.params.type === 'ready');
  if (!ok || !ready) return { publishes: client.totalPublishes, peakRssMb: client.peakRssMb(), timeout: capMs };
  return {
    readyMs: ready.at - client.spawnedAt,
    lastPublishMs: client.lastAnyPublishAt ? client.lastAnyPublishAt - client.spawnedAt : undefined,
    serverIndexMs: typeof ready.params.indexMs === 'number' ? ready.params.indexMs : undefined,
    publishes: client.totalPublishes,
    files: typeof ready.params.files === 'number' ? ready.params.files : undefined,
    resources: typeof ready.params.resources === 'number' ? ready.params.resources : undefined,
    peakRssMb: client.peakRssMb(),
  };
}


interface GraphEdge { from: string; to: string; kind: string; broken: boolean }

/** Services and the one workload each selects, in different files, from the server's own graph (typical sizes first). */
export async function crossCandidates(client: LspClient, ws: Workspace): Promise<CrossPair[]> {
  const g = await client.connection.sendRequest(GraphRequest.type, {});
  const nodes = new Map(g.nodes.map((n) => [n.id, n]));
  const bySvc = new Map<string, GraphEdge[]>();
  for (const e of g.edges) if (e.kind === 'selects' && !e.broken) bySvc.set(e.from, [...(bySvc.get(e.from) ?? []), e]);
  const out: { pair: CrossPair; size: number }[] = [];
  for (const [svcId, es] of bySvc) {
    if (es.length !== 1) continue;
    const svc = nodes.get(svcId);
    const wl = nodes.get(es[0]!.to);
    if (!svc?.file?.startsWith('file:') || !wl?.file?.startsWith('file:') || svc.file === wl.file || svc.kind !== 'Service') continue;
    const svcPath = fileURLToPath(svc.file);
    const wlPath = fileURLToPath(wl.file);
    const sel = serviceSelector(fs.readFileSync(svcPath, 'utf8'), svc.name);
    if (!sel) continue;
    const wlText = fs.readFileSync(wlPath, 'utf8');
    const key = Object.keys(sel).find((k) => templateLabelEnd(wlText, wl.name, k) !== undefined);
    if (!key) continue;
    out.push({
      pair: { workloadFile: path.relative(ws.dir, wlPath), workloadName: wl.name, serviceFile: path.relative(ws.dir, svcPath), serviceName: svc.name, labelKey: key },
      size: wlText.length,
    });
  }
  out.sort((a, b) => a.size - b.size || a.pair.workloadFile.localeCompare(b.pair.workloadFile));
  // Start from the median size, then outwards.
  const mid = Math.floor(out.length / 2);
  const order: CrossPair[] = [];
  for (let d = 0; order.length < out.length; d++) {
    if (out[mid + d]) order.push(out[mid + d]!.pair);
    if (d > 0 && out[mid - d]) order.push(out[mid - d]!.pair);
  }
  return order;
}

export interface CrossResult { pair?: CrossPair; samples: number[]; stats?: Stats; timeouts: number; note?: string; tried?: number }
export async function measureCrossFile(client: LspClient, ws: Workspace, pairs: CrossPair[], budgetMs: number): Promise<CrossResult> {
  const deadline = performance.now() + budgetMs;
  budget.m = deadline;
  try {
    return await crossFileWithin(client, ws, pairs, deadline);
  } finally {
    budget.m = Infinity;
  }
}

async function crossFileWithin(client: LspClient, ws: Workspace, pairs: CrossPair[], deadline: number): Promise<CrossResult> {
  let tried = 0;
  for (const pair of pairs.slice(0, 6)) {
    if (performance.now() > deadline) break;
    tried++;
    const wlUri = uriOf(ws, pair.workloadFile);
    const svcUri = uriOf(ws, pair.serviceFile);
    const text = fs.readFileSync(path.join(ws.dir, pair.workloadFile), 'utf8');
    const starts = lineStarts(text);
    const end = templateLabelEnd(text, pair.workloadName, pair.labelKey);
    if (end === undefined) continue;
    const edit: Edit = { offset: end, text: 'x', what: `one character appended to pod template label ${pair.labelKey}` };
    await openAndSettle(client, wlUri, text, true);
    const version = { v: 1 };
    // Warm-up, and the check that this Service selects nothing else (another workload with the label).
    if (!await toggleTwice(client, wlUri, starts, edit, version, svcUri, true, CAP.passMs)) {
      client.close(wlUri);
      continue;
    }
    const r: CrossResult = { pair, samples: [], timeouts: 0, tried };
    for (let i = 0; i < CROSS_EDITS; i++) {
      if (performance.now() > deadline) { r.note = `${i} of ${CROSS_EDITS} edits in the time budget`; break; }
      const { range, text: t } = editRange(starts, edit, i % 2 === 0);
      const pubs = client.publishCount.get(svcUri) ?? 0;
      const readies = client.readyCount();
      const sent = performance.now();
      client.change(wlUri, ++version.v, range, t);
      const ok = await client.until(() => (client.publishCount.get(svcUri) ?? 0) > pubs, within(CAP.publishMs, 1000));
      if (!ok) {
        if (performance.now() - sent < CAP.publishMs) r.note = `${i} of ${CROSS_EDITS} edits in the time budget; the last one took over ${((performance.now() - sent) / 1000).toFixed(1)} s`;
        else { r.timeouts++; r.note = `timeout > ${CAP.publishMs / 1000} s`; }
        break;
      }
      r.samples.push(client.lastPublishAt.get(svcUri)! - sent);
      await client.until(() => client.readyCount() > readies, within(CAP.passMs));
    }
    if (r.samples.length % 2 === 1) {
      const readies = client.readyCount();
      const { range, text: t } = editRange(starts, edit, false);
      client.change(wlUri, ++version.v, range, t);
      await client.until(() => client.readyCount() > readies, within(CAP.passMs, 1000));
    }
    client.close(wlUri);
    r.stats = stats(r.samples);
    return r;
  }
  const note = !pairs.length ? 'no Service/workload pair in different files'
    : performance.now() >= deadline ? `no sample in the time budget: opening and the warm-up took it (${tried} pair(s) tried)`
      : `none of ${tried} Service/workload pairs toggled the Service's diagnostics`;
  return { samples: [], timeouts: 0, tried, note };
}


export interface ProbeResult { hover: number[]; definition: number[]; hoverStats?: Stats; definitionStats?: Stats; answeredHover: number; answeredDefinition: number; kinds: Record<string, number>; note?: string }
function collectProbes(ws: Workspace): { uri: string; line: number; character: number; kind: string }[] {
  const files = [...ws.files].sort();
  const stride = Math.max(1, Math.floor(files.length / 400));
  const byKind = new Map<string, { uri: string; line: number; character: number; kind: string }[]>();
  let found = 0;
  for (let pass = 0; pass < stride && found < PROBES * 2; pass++) {
    for (let i = pass; i < files.length && found < PROBES * 2; i += stride) {
      const f = files[i]!;
      if (fs.statSync(f).size > 300_000) continue;
      const text = fs.readFileSync(f, 'utf8');
      if (text.includes('{{')) continue;
      let ps: Probe[];
      try { ps = probes(text); } catch { continue; }
      if (!ps.length) continue;
      const starts = lineStarts(text);
      for (const p of ps) {
        const list = byKind.get(p.kind) ?? [];
        list.push({ uri: pathToFileURL(f).href, ...positionAt(starts, p.offset), kind: p.kind });
        byKind.set(p.kind, list);
        found++;
      }
    }
  }
  // Round-robin over the kinds.
  const out: { uri: string; line: number; character: number; kind: string }[] = [];
  const lists = [...byKind.values()].map((l) => ({ l, i: 0 }));
  while (out.length < PROBES && lists.some((x) => x.i < x.l.length)) {
    for (const x of lists) if (x.i < x.l.length && out.length < PROBES) out.push(x.l[x.i++]!);
  }
  return out;
}

export async function measureProbes(client: LspClient, ws: Workspace, budgetMs: number): Promise<ProbeResult> {
  const ps = collectProbes(ws);
  const r: ProbeResult = { hover: [], definition: [], answeredHover: 0, answeredDefinition: 0, kinds: {} };
  for (const p of ps) r.kinds[p.kind] = (r.kinds[p.kind] ?? 0) + 1;
  const deadline = performance.now() + budgetMs;
  for (const p of ps) {
    if (performance.now() > deadline) { r.note = `${r.hover.length} of ${ps.length} positions in the time budget`; break; }
    const params = { textDocument: { uri: p.uri }, position: { line: p.line, character: p.character } };
    let t = performance.now();
    const h = await client.connection.sendRequest(HoverRequest.type, params);
    r.hover.push(performance.now() - t);
    if (h) r.answeredHover++;
    t = performance.now();
    const d = await client.connection.sendRequest(DefinitionRequest.type, params);
    r.definition.push(performance.now() - t);
    if (d && (!Array.isArray(d) || d.length)) r.answeredDefinition++;
  }
  r.hoverStats = stats(r.hover);
  r.definitionStats = stats(r.definition);
  return r;
}


export interface StorageResult { files: number; bytes: number; waitedMs: number }
/** Waits until the storage folder holds files whose total size is stable (a finished write), at most `capMs`. */
export async function waitForStorage(dir: string, capMs: number): Promise<StorageResult> {
  const t = performance.now();
  const measure = () => {
    let files = 0;
    let bytes = 0;
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (!e.name.endsWith('.tmp')) { files++; bytes += fs.statSync(p).size; }
      }
    };
    try { walk(dir); } catch { /* being written */ }
    return { files, bytes };
  };
  let last = measure();
  while (performance.now() - t < capMs) {
    await sleep(250);
    const now = measure();
    if (now.bytes > 0 && now.bytes === last.bytes && now.files === last.files) return { ...now, waitedMs: performance.now() - t };
    last = now;
  }
  return { ...last, waitedMs: performance.now() - t };
}

/**
 * After the first 'ready', a workspace with renders (Helm runs in the background) publishes again
 * when they land: the last 'ready' before `quietMs` without one, from the spawn.
 */
export async function measureSettled(client: LspClient, capMs: number, quietMs = 3000): Promise<number | undefined> {
  const end = performance.now() + capMs;
  let count = client.readyCount();
  while (performance.now() < end) {
    const more = await client.until(() => client.readyCount() > count, Math.min(quietMs, end - performance.now()));
    if (!more) break;
    count = client.readyCount();
  }
  const last = client.statuses.filter((s) => s.params.type === 'ready').at(-1);
  return last ? last.at - client.spawnedAt : undefined;
}
