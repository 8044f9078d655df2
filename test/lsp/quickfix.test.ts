/**
 * Quick fixes on the `fixes` fixture: each is a WorkspaceEdit; applying it in memory gives the
 * expected text, and feeding that text to the server makes the diagnostic go away.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionKind, CodeActionRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { serverPerFile, close, codes, lacks, waitDiag } from '../helpers/lsp';
import { applyWorkspaceEdit, fixture, read, uriOf } from './lspTestUtils';

const FIXES = fixture('fixes');
const s = serverPerFile(FIXES);

const u = (rel: string) => uriOf(FIXES, rel);

function diagnostic(rel: string, code: string): Diagnostic {
  const d = s.diagnostics.get(u(rel))?.find((x) => x.code === code);
  assert.ok(d, `${rel} has no ${code}: ${JSON.stringify(codes(s.diagnostics.get(u(rel))))}`);
  return d;
}

async function actions(rel: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
  const r = await s.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: u(rel) }, range: diagnostics[0]!.range, context: { diagnostics } });
  return (r ?? []) as CodeAction[];
}

/** The one action titled `title`, checked to be a quick fix carrying a WorkspaceEdit for `diag`. */
function pick(list: CodeAction[], title: string, diag: Diagnostic): CodeAction {
  const a = list.find((x) => x.title === title);
  assert.ok(a, `no action "${title}" among ${JSON.stringify(list.map((x) => x.title))}`);
  assert.equal(a.kind, CodeActionKind.QuickFix);
  assert.ok(a.edit?.changes, 'the fix is a WorkspaceEdit with changes');
  assert.equal(a.command, undefined, 'no command: the edit is the fix');
  assert.deepEqual(a.diagnostics?.map((d) => d.code), [diag.code]);
  assert.deepEqual(a.diagnostics?.[0]?.range, diag.range);
  return a;
}

/** Opens `rel` with its disk text, then changes it to `text`, as an editor applying the edit would. */
function openAndChange(rel: string, text: string): void {
  s.open(u(rel), read(FIXES, rel), 1);
  s.change(u(rel), text, 2);
}

test('quick fix: change a selector value to the nearest-miss label (cross-file nearest)', async () => {
  const rel = 'selector/checkout-service.yaml';
  const d = diagnostic(rel, 'service-selects-nothing');
  const a = pick(await actions(rel, [d]), 'Change selector to app=checkout', d);
  assert.equal(a.isPreferred, true);
  assert.deepEqual(Object.keys(a.edit!.changes!), [u(rel)]);
  const out = applyWorkspaceEdit(a.edit!, { [u(rel)]: read(FIXES, rel) });
  assert.equal(out[u(rel)], read(FIXES, rel).replace('    app: checkuot\n', '    app: checkout\n'));
  try {
    openAndChange(rel, out[u(rel)]!);
    await waitDiag(s, u(rel), (x) => x.length === 0);
  } finally {
    close(s, u(rel));
  }
});

test('quick fix: rename a named targetPort to the one existing container port name', async () => {
  const rel = 'targetport/cart.yaml';
  const d = diagnostic(rel, 'target-port-unresolved');
  const a = pick(await actions(rel, [d]), 'Change targetPort to http-api', d);
  const out = applyWorkspaceEdit(a.edit!, { [u(rel)]: read(FIXES, rel) });
  assert.equal(out[u(rel)], read(FIXES, rel).replace('      targetPort: http\n', '      targetPort: http-api\n'));
  try {
    openAndChange(rel, out[u(rel)]!);
    await waitDiag(s, u(rel), (x) => x.length === 0);
  } finally {
    close(s, u(rel));
  }
});

test('quick fix: add the missing port name to the container port (edit in the Deployment file)', async () => {
  const svcRel = 'portname/search-service.yaml';
  const depRel = 'portname/search-deployment.yaml';
  const d = diagnostic(svcRel, 'target-port-unresolved');
  const a = pick(await actions(svcRel, [d]), 'Name the container port `rest` in search', d);
  assert.deepEqual(Object.keys(a.edit!.changes!), [u(depRel)], 'the edit is in the other file');
  const out = applyWorkspaceEdit(a.edit!, { [u(depRel)]: read(FIXES, depRel) });
  assert.equal(out[u(depRel)], read(FIXES, depRel).replace(
    '            - containerPort: 9200\n',
    '            - name: rest\n              containerPort: 9200\n',
  ));
  try {
    openAndChange(depRel, out[u(depRel)]!);
    await waitDiag(s, u(svcRel), (x) => x.length === 0);
    await waitDiag(s, u(depRel), (x) => x.length === 0);
  } finally {
    close(s, u(depRel));
  }
});

test('quick fix: set clusterIP: None on the StatefulSet\'s governing Service (replacing a clusterIP, other file)', async () => {
  const stsRel = 'statefulset/redis.yaml';
  const svcRel = 'statefulset/redis-service.yaml';
  const d = diagnostic(stsRel, 'statefulset-service-not-headless');
  const a = pick(await actions(stsRel, [d]), 'Make Service `redis` headless (clusterIP: None)', d);
  assert.deepEqual(Object.keys(a.edit!.changes!), [u(svcRel)]);
  const out = applyWorkspaceEdit(a.edit!, { [u(svcRel)]: read(FIXES, svcRel) });
  assert.equal(out[u(svcRel)], read(FIXES, svcRel).replace('  clusterIP: 10.96.0.50\n', '  clusterIP: None\n'));
  try {
    openAndChange(svcRel, out[u(svcRel)]!);
    await waitDiag(s, u(stsRel), (x) => x.length === 0);
    await waitDiag(s, u(svcRel), (x) => x.length === 0);
  } finally {
    close(s, u(svcRel));
  }
});

test('quick fix: set clusterIP: None on a governing Service that has no clusterIP (inserted line)', async () => {
  const rel = 'statefulset/kafka.yaml';
  const d = diagnostic(rel, 'statefulset-service-not-headless');
  const a = pick(await actions(rel, [d]), 'Make Service `kafka` headless (clusterIP: None)', d);
  const out = applyWorkspaceEdit(a.edit!, { [u(rel)]: read(FIXES, rel) });
  const svcPart = 'kind: Service\nmetadata:\n  name: kafka\n  namespace: streaming\nspec:\n';
  assert.equal(out[u(rel)], read(FIXES, rel).replace(`${svcPart}  selector:\n`, `${svcPart}  clusterIP: None\n  selector:\n`));
  try {
    openAndChange(rel, out[u(rel)]!);
    await waitDiag(s, u(rel), (x) => x.length === 0);
  } finally {
    close(s, u(rel));
  }
});

test('quick fix: convert a `//` line to a `#` comment, one line or all of them', async () => {
  const rel = 'comments/notifications.yaml';
  const text = read(FIXES, rel);
  const ds = s.diagnostics.get(u(rel))!.filter((x) => x.code === 'yaml-syntax');
  assert.equal(ds.length, 2);
  const list = await actions(rel, ds);
  const singles = list.filter((x) => x.title === 'Turn `//` into a YAML comment (`#`)');
  assert.equal(singles.length, 2, 'one fix per `//` line');
  const first = applyWorkspaceEdit(singles[0]!.edit!, { [u(rel)]: text })[u(rel)]!;
  const [l0, l1, ...rest] = first.split('\n');
  assert.match(l0!, /^# Notification service, owned by team messaging$/);
  assert.equal(l1, '// Exposed through the mesh only');
  assert.deepEqual(rest, text.split('\n').slice(2));

  const all = pick(list, 'Turn all 2 `//` lines of this file into comments', ds[0]!);
  const fixed = applyWorkspaceEdit(all.edit!, { [u(rel)]: text })[u(rel)]!;
  const lines = fixed.split('\n');
  assert.match(lines[0]!, /^# Notification service, owned by team messaging$/);
  assert.match(lines[1]!, /^# Exposed through the mesh only$/);
  assert.deepEqual(lines.slice(2), text.split('\n').slice(2));
  try {
    openAndChange(rel, fixed);
    await waitDiag(s, u(rel), (x) => x.length === 0);
  } finally {
    close(s, u(rel));
  }
});

test('no quick fix where the fix is ambiguous (two candidate port names; no nearest label)', async () => {
  const rel = 'targetport/ledger.yaml';
  const tp = diagnostic(rel, 'target-port-unresolved');
  assert.deepEqual(await actions(rel, [tp]), []);
  const sel = diagnostic(rel, 'service-selects-nothing');
  assert.deepEqual(await actions(rel, [sel]), []);
  // The diagnostics are still there, unchanged by asking.
  assert.ok(lacks('yaml-syntax')(s.diagnostics.get(u(rel))!));
});
