/**
 * Go to definition, find references, document highlights and code lenses on the `shop` fixture,
 * with the client introducing itself as the VS Code extension (other editors: otherEditors.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeLensRequest, DefinitionRequest, DocumentHighlightKind, DocumentHighlightRequest, ReferencesRequest,
  type CodeLens, type Location, type LocationLink, type Position,
} from 'vscode-languageserver-protocol/node';
import { serverPerFile } from '../helpers/lsp';
import { VSCODE_EXTENSION_CLIENT } from '../../server/src/protocol/messages';
import { fixture, lineOf, posOf, read, uriOf } from './lspTestUtils';

const SHOP = fixture('shop');
const s = serverPerFile(SHOP, undefined, { initializationOptions: { client: VSCODE_EXTENSION_CLIENT } });

const u = (rel: string) => uriOf(SHOP, rel);
const at = (rel: string, needle: string, occurrence = 0, delta = 1): Position => posOf(read(SHOP, rel), needle, occurrence, delta);

/** Definition results as sorted "rel:line:startChar-endChar" strings. */
async function definition(rel: string, pos: Position): Promise<string[]> {
  const r = await s.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: u(rel) }, position: pos });
  const list = (Array.isArray(r) ? r : r ? [r] : []) as (Location | LocationLink)[];
  return list.map((l) => ('targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange } : l)).map(fmt).sort();
}

async function references(rel: string, pos: Position, includeDeclaration = false): Promise<string[]> {
  const r = await s.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: u(rel) }, position: pos, context: { includeDeclaration } });
  return (r ?? []).map(fmt).sort();
}

function fmt(l: Location): string {
  const rel = l.uri.slice(l.uri.indexOf('/fixtures/shop/') + '/fixtures/shop/'.length);
  assert.equal(l.range.start.line, l.range.end.line, 'single-line ranges');
  return `${rel}:${l.range.start.line}:${l.range.start.character}-${l.range.end.character}`;
}

/** "rel:line:char-char" of `needle` (the `occurrence`-th), covering `len` characters from `delta`. */
function where(rel: string, needle: string, occurrence: number, delta: number, len: number): string {
  const p = posOf(read(SHOP, rel), needle, occurrence, delta);
  return `${rel}:${p.line}:${p.character}-${p.character + len}`;
}

test('definition: selector entry → the matching pod template labels, all of them', async () => {
  const defs = await definition('apps/web-service.yaml', at('apps/web-service.yaml', 'app: web', 0, 6));
  assert.deepEqual(defs, [
    where('apps/web-canary.yaml', 'app: web', 1, 0, 8),
    where('apps/web-deployment.yaml', 'app: web', 1, 0, 8),
  ]);
  // Lines: the template labels, not the Deployment's own matchLabels.
  assert.equal(lineOf(read(SHOP, 'apps/web-deployment.yaml'), 'app: web', 1), 14);
  // An entry of a two-label selector goes to the one workload that has both.
  assert.deepEqual(await definition('edge/lb.yaml', at('edge/lb.yaml', 'track: stable', 0, 8)), [where('apps/web-deployment.yaml', 'track: stable', 1, 0, 13)]);
});

test('definition: Ingress and HTTPRoute backend name → the Service', async () => {
  const svc = where('apps/web-service.yaml', 'name: web', 0, 6, 3);
  assert.deepEqual(await definition('apps/ingress.yaml', at('apps/ingress.yaml', 'name: web', 0, 7)), [svc]);
  assert.deepEqual(await definition('gateway/route.yaml', at('gateway/route.yaml', 'name: web', 1, 7)), [svc]);
  assert.deepEqual(await definition('apps/ingress.yaml', at('apps/ingress.yaml', 'name: api', 0, 7)), [where('api/api.yaml', 'name: api', 2, 6, 3)]);
  // A backend to a Service that does not exist has no definition.
  assert.deepEqual(await definition('apps/ingress.yaml', at('apps/ingress.yaml', 'name: legacy-web', 0, 7)), []);
});

test('definition: backend port → the Service port (by name and by number)', async () => {
  assert.deepEqual(await definition('apps/ingress.yaml', at('apps/ingress.yaml', 'name: http', 0, 8)), [where('apps/web-service.yaml', 'name: http', 0, 6, 4)]);
  assert.deepEqual(await definition('apps/ingress.yaml', at('apps/ingress.yaml', 'number: 8080', 0, 9)), [where('api/api.yaml', 'port: 8080', 0, 6, 4)]);
  assert.deepEqual(await definition('gateway/route.yaml', at('gateway/route.yaml', 'port: 80', 0, 7)), [where('apps/web-service.yaml', 'port: 80', 0, 6, 2)]);
  assert.deepEqual(await definition('gateway/route.yaml', at('gateway/route.yaml', 'port: 9999', 0, 7)), []);
});

test('definition: targetPort → the container port of every selected workload', async () => {
  assert.deepEqual(await definition('apps/web-service.yaml', at('apps/web-service.yaml', 'targetPort: metrics', 0, 14)), [
    where('apps/web-canary.yaml', 'name: metrics', 0, 6, 7),
    where('apps/web-deployment.yaml', 'name: metrics', 0, 6, 7),
  ]);
  // A numeric targetPort lands on the containerPort value.
  assert.deepEqual(await definition('edge/lb.yaml', at('edge/lb.yaml', 'targetPort: 8080', 0, 13)), [where('apps/web-deployment.yaml', 'containerPort: 8080', 0, 15, 4)]);
});

test('definition: StatefulSet serviceName → the Service; parentRefs → the Gateway', async () => {
  assert.deepEqual(await definition('data/postgres.yaml', at('data/postgres.yaml', 'serviceName: postgres', 0, 14)), [where('data/postgres-service.yaml', 'name: postgres', 0, 6, 8)]);
  assert.deepEqual(await definition('gateway/route.yaml', at('gateway/route.yaml', 'name: shop-gw', 0, 8)), [where('gateway/gateway.yaml', 'name: shop-gw', 0, 6, 7)]);
});

test('references: pod label → the selectors that use it', async () => {
  const refs = await references('apps/web-deployment.yaml', at('apps/web-deployment.yaml', 'app: web', 1, 6));
  assert.deepEqual(refs, [where('apps/web-service.yaml', 'app: web', 0, 0, 8), where('edge/lb.yaml', 'app: web', 0, 0, 8)]);
  // The canary is not selected by edge (track=stable): only the web Service.
  assert.deepEqual(await references('apps/web-canary.yaml', at('apps/web-canary.yaml', 'app: web', 1, 6)), [where('apps/web-service.yaml', 'app: web', 0, 0, 8)]);
  // includeDeclaration adds the label itself.
  const withDecl = await references('apps/web-deployment.yaml', at('apps/web-deployment.yaml', 'app: web', 1, 6), true);
  assert.equal(withDecl.length, 3);
  assert.ok(withDecl.includes(where('apps/web-deployment.yaml', 'app: web', 1, 5, 3)), JSON.stringify(withDecl));
});

test('references: Service → the Ingress and route backends (and StatefulSets) naming it', async () => {
  assert.deepEqual(await references('apps/web-service.yaml', at('apps/web-service.yaml', 'name: web', 0, 7)), [
    where('apps/ingress.yaml', 'name: web', 0, 6, 3),
    where('gateway/route.yaml', 'name: web', 1, 6, 3),
  ]);
  assert.deepEqual(await references('data/postgres-service.yaml', at('data/postgres-service.yaml', 'name: postgres', 0, 7)), [where('data/postgres.yaml', 'serviceName: postgres', 0, 13, 8)]);
});

test('references: container port → the targetPorts that land on it', async () => {
  const refs = await references('apps/web-deployment.yaml', at('apps/web-deployment.yaml', 'containerPort: 8080', 0, 16));
  assert.deepEqual(refs, [where('apps/web-service.yaml', 'targetPort: http', 0, 12, 4), where('edge/lb.yaml', 'targetPort: 8080', 0, 12, 4)]);
  assert.deepEqual(await references('apps/web-deployment.yaml', at('apps/web-deployment.yaml', 'name: metrics', 0, 8)), [where('apps/web-service.yaml', 'targetPort: metrics', 0, 12, 7)]);
});

test('document highlights: the element and what it relates to, within the file only', async () => {
  const rel = 'api/api.yaml';
  const text = read(SHOP, rel);
  const hl = await s.connection.sendRequest(DocumentHighlightRequest.type, { textDocument: { uri: u(rel) }, position: posOf(text, 'app: api', 1, 6) });
  assert.ok(hl);
  const lines = hl.map((h) => h.range.start.line).sort((a, b) => a - b);
  assert.deepEqual(lines, [lineOf(text, 'app: api', 1), lineOf(text, 'app: api', 2)], 'template label and the Service selector entry');
  for (const h of hl) assert.equal(h.kind, DocumentHighlightKind.Text);
  // From the selector side: the same two.
  const back = await s.connection.sendRequest(DocumentHighlightRequest.type, { textDocument: { uri: u(rel) }, position: posOf(text, 'app: api', 2, 6) });
  assert.deepEqual(back!.map((h) => h.range.start.line).sort((a, b) => a - b), lines);
  // A Service name referenced only from other files highlights just itself.
  const web = await s.connection.sendRequest(DocumentHighlightRequest.type, { textDocument: { uri: u('apps/web-service.yaml') }, position: at('apps/web-service.yaml', 'name: web', 0, 7) });
  assert.deepEqual(web!.map((h) => h.range), [{ start: { line: 3, character: 8 }, end: { line: 3, character: 11 } }]);
});

/** Asserts a lens sits above the `doc`-th object of a file: on one of its lines up to its `kind:` line. */
function assertAbove(rel: string, lens: CodeLens, doc: number): void {
  const lines = read(SHOP, rel).split('\n');
  const starts = [0, ...lines.flatMap((l, i) => (l.startsWith('---') ? [i + 1] : []))];
  const start = starts[doc]!;
  const kind = lines.findIndex((l, i) => i >= start && l.startsWith('kind:'));
  assert.ok(lens.range.start.line >= start && lens.range.start.line <= kind, `lens at line ${lens.range.start.line}, object ${doc} spans ${start}..(kind at ${kind})`);
  assert.deepEqual((lens.command?.arguments as unknown[])[1], lens.range.start, 'the position argument is the lens position');
}

async function allLenses(rel: string): Promise<CodeLens[]> {
  return (await s.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: u(rel) } })) ?? [];
}

/** The traffic lenses (the "topology" lens that opens the view is tested on its own). */
async function lenses(rel: string): Promise<CodeLens[]> {
  return (await allLenses(rel)).filter((l) => l.command?.command !== 'kubeTraffic.showTopology');
}

test('a "topology" code lens above each Service and Ingress opens the topology view', async () => {
  for (const rel of ['apps/web-service.yaml', 'apps/ingress.yaml']) {
    const topo = (await allLenses(rel)).filter((l) => l.command?.command === 'kubeTraffic.showTopology');
    assert.equal(topo.length, 1, rel);
    assert.equal(topo[0]!.command!.title, '$(type-hierarchy) topology', 'a codicon, for VS Code');
    assert.deepEqual(topo[0]!.command!.arguments, [u(rel)]);
  }
  assert.deepEqual((await allLenses('apps/web-deployment.yaml')).filter((l) => l.command?.command === 'kubeTraffic.showTopology'), []);
});

test('code lens above a Service: "selects 2 workloads · 5 pods" and what reaches it, with showLocations args', async () => {
  const ls = await lenses('apps/web-service.yaml');
  assert.deepEqual(ls.map((l) => l.command?.title), ['selects 2 workloads · 5 pods', 'reached by 1 Ingress, 1 route']);
  for (const l of ls) assertAbove('apps/web-service.yaml', l, 0);
  const sel = ls[0]!.command!;
  assert.equal(sel.command, 'kubeTraffic.showLocations');
  const [uri, pos, locs] = sel.arguments as [string, Position, Location[]];
  assert.equal(uri, u('apps/web-service.yaml'));
  assert.deepEqual(pos, ls[0]!.range.start);
  assert.deepEqual(locs.map(fmt).sort(), [where('apps/web-canary.yaml', 'name: web-canary', 0, 6, 10), where('apps/web-deployment.yaml', 'name: web', 0, 6, 3)]);
  const reached = ls[1]!.command!;
  assert.equal(reached.command, 'kubeTraffic.showLocations');
  assert.deepEqual((reached.arguments![2] as Location[]).map(fmt).sort(), [where('apps/ingress.yaml', 'name: storefront', 0, 6, 10), where('gateway/route.yaml', 'name: web-route', 0, 6, 9)]);
});

test('code lens above a workload: "reached by 2 Services, 1 Ingress, 1 route" with the locations', async () => {
  const ls = await lenses('apps/web-deployment.yaml');
  assert.equal(ls.length, 1);
  assert.equal(ls[0]!.command!.title, 'reached by 2 Services, 1 Ingress, 1 route');
  assert.equal(ls[0]!.command!.command, 'kubeTraffic.showLocations');
  const [uri, pos, locs] = ls[0]!.command!.arguments as [string, Position, Location[]];
  assert.equal(uri, u('apps/web-deployment.yaml'));
  assertAbove('apps/web-deployment.yaml', ls[0]!, 0);
  assert.deepEqual(pos, ls[0]!.range.start);
  assert.deepEqual(locs.map(fmt).sort(), [
    where('apps/ingress.yaml', 'name: storefront', 0, 6, 10),
    where('apps/web-service.yaml', 'name: web', 0, 6, 3),
    where('edge/lb.yaml', 'name: edge', 0, 6, 4),
    where('gateway/route.yaml', 'name: web-route', 0, 6, 9),
  ]);
  // The StatefulSet, reached by its headless Service only.
  assert.deepEqual((await lenses('data/postgres.yaml')).map((l) => l.command?.title), ['reached by 1 Service']);
  // A canary reached by one Service, one Ingress, one route (through that Service).
  assert.deepEqual((await lenses('apps/web-canary.yaml')).map((l) => l.command?.title), ['reached by 1 Service, 1 Ingress, 1 route']);
});

test('code lens above an Ingress, a route, and Services that select nothing / have no selector / are ExternalName', async () => {
  const ing = await lenses('apps/ingress.yaml');
  assert.deepEqual(ing.map((l) => l.command?.title), ['routes to 2 Services · 1 missing']);
  assert.deepEqual((ing[0]!.command!.arguments![2] as Location[]).map(fmt).sort(), [where('api/api.yaml', 'name: api', 2, 6, 3), where('apps/web-service.yaml', 'name: web', 0, 6, 3)]);
  assert.deepEqual((await lenses('gateway/route.yaml')).map((l) => l.command?.title), ['routes to 2 Services']);
  const ext = await lenses('ext/external.yaml');
  assert.deepEqual(ext.map((l) => l.command?.title), [
    'CNAME → billing.payments.example.com',
    'no selector · 1 endpoint object',
    'selects nothing',
    'no Service selects it',
  ]);
  // One lens above each of the four objects (the Endpoints object, document 2, gets none).
  [0, 1, 3, 4].forEach((doc, i) => assertAbove('ext/external.yaml', ext[i]!, doc));
  // Lenses without locations carry no command to run; the others carry the Endpoints location.
  assert.equal(ext[0]!.command!.command, '');
  assert.equal(ext[1]!.command!.command, 'kubeTraffic.showLocations');
  assert.deepEqual((ext[1]!.command!.arguments![2] as Location[]).map(fmt), [where('ext/external.yaml', 'name: legacy-db', 1, 6, 9)]);
});
