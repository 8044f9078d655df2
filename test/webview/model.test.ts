/**
 * The webview's graph logic and ELK layout, in Node (no browser): kind columns, references
 * between namespaces, collapsing, paths through a node, filter syntax, label wrapping, icons.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ELK from 'elkjs/lib/elk.bundled.js';
import { displayLabel, layout, type Layout } from '../../webview/src/layout';
import { CODICONS, partitionOf } from '../../webview/src/kinds';
import {
  buildView, canonicalOf, DEFAULT_VIEW_OPTIONS, pathsThrough, tracePath, type TrafficGraph, type ViewGraph,
} from '../../webview/src/model';
import { detailLines, factsOf, matchesFilter, parseFilter, wrapLabel } from '../../webview/src/nodeText';
import { classifyNode, familyOfKind } from '../../server/src/protocol/webview';
import { generateGraph } from './generate';
import { examplesGraph, ROOT } from './harness';

const measure = (t: string, f: 'name' | 'facts' | 'label'): number => t.length * (f === 'name' ? 7 : 6);
const pick = (e: { kind: string; reversed: boolean; label: string } | undefined) => (e ? { kind: e.kind, reversed: e.reversed, label: e.label } : undefined);
const graph: TrafficGraph = examplesGraph();
const view = (g: TrafficGraph = graph, opts: Partial<typeof DEFAULT_VIEW_OPTIONS> = {}): ViewGraph => buildView(g, { ...DEFAULT_VIEW_OPTIONS, ...opts });

describe('model', () => {
  it('puts kinds in left-to-right columns; a ghost in the column of what it stands for', () => {
    const place = { id: 'x', name: 'x' };
    const workload = { replicas: 1, labels: {}, containers: [] };
    const col = {
      Entry: partitionOf({ ...place, kind: 'Entry', details: { entry: 'internet' } }),
      Ingress: partitionOf({ ...place, kind: 'Ingress', details: { hosts: [], tls: [] } }),
      Gateway: partitionOf({ ...place, kind: 'Gateway', details: { gatewayClassName: null, listeners: [] } }),
      HTTPRoute: partitionOf({ ...place, kind: 'HTTPRoute', details: { hostnames: [] } }),
      GRPCRoute: partitionOf({ ...place, kind: 'GRPCRoute', details: { hostnames: [] } }),
      Service: partitionOf({ ...place, kind: 'Service', details: { type: 'ClusterIP', exposure: ['ClusterIP'], selector: null, ports: [] } }),
      Deployment: partitionOf({ ...place, kind: 'Deployment', details: workload }),
      StatefulSet: partitionOf({ ...place, kind: 'StatefulSet', details: workload }),
      EndpointSlice: partitionOf({ ...place, kind: 'EndpointSlice', details: { service: null } }),
      External: partitionOf({ ...place, kind: 'External', details: { dns: 'example.com' } }),
      MissingService: partitionOf({ ...place, kind: 'Missing', details: { missingKind: 'Service' } }),
      MissingPod: partitionOf({ ...place, kind: 'Missing', details: { missingKind: 'Pod' } }),
    };
    assert.ok(col.Entry < col.Ingress);
    assert.equal(col.Ingress, col.Gateway);
    assert.ok(col.Gateway < col.HTTPRoute);
    assert.ok(col.GRPCRoute < col.Service);
    assert.ok(col.Service < col.Deployment);
    assert.equal(col.StatefulSet, col.EndpointSlice);
    assert.ok(col.Deployment < col.External);
    assert.equal(col.MissingService, col.Service);
    // A ghost of a Pod (a selector that matches nothing) stands where workloads do.
    assert.equal(col.MissingPod, col.Deployment);
  });

  it('reads details as their kind types them; details without their kind\'s shape are another kind\'s, never a crash', () => {
    const bad = { id: 'Service/x/bad', name: 'bad', namespace: 'x', kind: 'Service', details: {} };
    assert.equal(classifyNode(bad).family, 'other');
    assert.equal(factsOf(bad), 'Service');
    assert.deepEqual(detailLines(bad), ['namespace: x']);
    // The graph of the examples: every node has its kind's shape.
    for (const n of graph.nodes) assert.equal(classifyNode(n).family, familyOfKind(n.kind), n.id);
  });

  it('draws every node and edge of the examples, with the same counts as the graph', () => {
    const v = view();
    assert.deepEqual(v.counts, { nodes: graph.nodes.length, edges: graph.edges.length, brokenEdges: graph.edges.filter((e) => e.broken).length });
    const drawn = new Set(v.nodes.map(canonicalOf));
    for (const n of graph.nodes) assert.ok(drawn.has(n.id), n.id);
  });

  it('draws an edge between namespaces through a reference in each lane', () => {
    const v = view();
    const stubs = v.edges.filter((e) => e.sources.length === 1 && graph.edges[e.sources[0]!]!.from === 'HTTPRoute/shop/storefront' && graph.edges[e.sources[0]!]!.to === 'Service/payments/payments-api');
    assert.equal(stubs.length, 2);
    const refs = v.nodes.filter((n) => n.ref);
    assert.ok(refs.some((n) => n.lane === 'shop' && n.ref === 'Service/payments/payments-api' && n.box === 'shop'));
    assert.ok(refs.some((n) => n.lane === 'payments' && n.ref === 'HTTPRoute/shop/storefront' && n.box === 'payments'));
    // Entry points are drawn in each lane that uses them, outside the box.
    assert.ok(refs.some((n) => n.lane === 'shop' && n.ref === 'Entry/internet' && n.box === undefined));
    // No drawn edge crosses lanes.
    const lane = new Map(v.nodes.map((n) => [n.id, n.lane]));
    for (const e of v.edges) assert.equal(lane.get(e.from), lane.get(e.to), e.id);
  });

  it('orients edges with the traffic: Gateway -> route, Service -> StatefulSet', () => {
    const v = view();
    const attaches = v.edges.find((e) => e.kind === 'attaches' && e.to === 'HTTPRoute/shop/storefront');
    assert.ok(attaches?.reversed);
    assert.equal(v.nodes.find((n) => n.id === attaches.from)?.ref, 'Gateway/platform/public');
    const governs = v.edges.find((e) => e.kind === 'governs');
    assert.deepEqual([governs?.from, governs?.to], ['Service/data/postgres', 'StatefulSet/data/postgres']);
  });

  it('highlights every path through a node, across namespaces', () => {
    const v = view();
    const hl = pathsThrough(v, ['Service/shop/catalog']);
    for (const id of ['Service/shop/catalog', 'Deployment/shop/catalog', 'HTTPRoute/shop/storefront']) assert.ok(hl.nodes.has(id), id);
    // Upstream through the Gateway in platform, to the Internet.
    assert.ok(hl.nodes.has('Gateway/platform/public'));
    assert.ok([...hl.nodes].some((id) => id.startsWith('Ref/') && id.endsWith('/Entry/internet')));
    // Not on any path through catalog.
    for (const id of ['Service/shop/cart', 'Deployment/shop/catalog-canary', 'Service/data/postgres']) assert.ok(!hl.nodes.has(id), id);
    const onPath = v.edges.filter((e) => hl.edges.has(e.id)).map((e) => `${e.from} ${e.to}`);
    assert.ok(onPath.includes('HTTPRoute/shop/storefront Service/shop/catalog'));
    assert.ok(!onPath.some((s) => s.includes('catalog-canary')));
  });

  it('traces a given path', () => {
    const v = view();
    const hl = tracePath(v, ['Ingress/shop/shop', 'Service/shop/frontend', 'Deployment/shop/frontend']);
    assert.equal(hl.edges.size, 2);
    assert.ok(hl.nodes.has('Deployment/shop/frontend'));
  });

  it('lights exactly the edges of a branching trace (90/10 weights, two Deployments), from the trace engine', () => {
    const v = view();
    const trace = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'server/out/cli.js'), 'trace', 'https://beta.shop.example.com/api/catalog/items', 'examples', '--format', 'json'], { cwd: ROOT, encoding: 'utf8' })) as
      { outcome: string; nodeIds: string[]; edges: { from: string; to: string }[] };
    assert.equal(trace.outcome, 'reached');
    const hl = tracePath(v, trace.nodeIds, trace.edges);
    const lit = v.edges.filter((e) => hl.edges.has(e.id)).map((e) => `${canonicalOf(v.nodes.find((n) => n.id === e.from)!)} ${canonicalOf(v.nodes.find((n) => n.id === e.to)!)}`);
    for (const pair of ['Service/shop/catalog Deployment/shop/catalog', 'Service/shop/catalog-canary Deployment/shop/catalog-canary', 'HTTPRoute/shop/storefront Service/shop/catalog-canary']) {
      assert.ok(lit.includes(pair), `${pair} in ${JSON.stringify(lit)}`);
    }
    // The consecutive-ids fallback would miss one branch: the ids alone are not a path.
    const consecutive = tracePath(v, trace.nodeIds);
    assert.ok(consecutive.edges.size < hl.edges.size);
    assert.ok(!lit.some((x) => x.includes('Service/shop/cart')));
  });

  it('marks the edges NetworkPolicy denies (examples/policies: admin is isolated by a default deny), and only those', () => {
    assert.ok(!view().edges.some((e) => e.policyDenied), 'the shop example has no NetworkPolicy');
    const v = view(examplesGraph(['examples/policies']));
    const denied = v.edges.filter((e) => e.policyDenied);
    assert.deepEqual(denied.map((e) => `${e.from} ${e.to}`), ['Service/store/admin Deployment/store/admin']);
    assert.match(denied[0]!.policyDenied!, /default-deny/);
  });

  it('restricts to one namespace with its neighbours', () => {
    const v = view(graph, { namespace: 'payments' });
    const ids = new Set(v.nodes.map(canonicalOf));
    assert.ok(ids.has('Service/payments/payments-api'));
    assert.ok(ids.has('HTTPRoute/shop/storefront'), 'a route from shop into payments');
    assert.ok(!ids.has('Deployment/shop/frontend'));
  });

  it('collapses big namespaces of big graphs into summary nodes, and expands them on demand', () => {
    const big = generateGraph(1000);
    const v = view(big);
    assert.ok(v.collapsed.length > 0);
    assert.ok(v.nodes.length < big.nodes.length);
    const s = v.nodes.find((n) => n.summary && !n.ref)!;
    assert.ok(s.summary!.count > DEFAULT_VIEW_OPTIONS.bigNamespace);
    const expanded = view(big, { expanded: new Set([s.summary!.namespace]) });
    assert.ok(!expanded.collapsed.includes(s.summary!.namespace));
    assert.ok(expanded.nodes.length > v.nodes.length);
  });

  it('parses the filter: free text, kind:, ns:, name:, label:', () => {
    const node = graph.nodes.find((n) => n.id === 'Deployment/shop/frontend')!;
    const m = (q: string): boolean => matchesFilter(node, parseFilter(q));
    assert.ok(m('front'));
    assert.ok(m('kind:deploy ns:shop'));
    assert.ok(m('label:tier=web'));
    assert.ok(!m('kind:service'));
    assert.ok(!m('ns:payments'));
    assert.ok(m('name:frontend label:app=frontend'));
    assert.ok(matchesFilter(graph.nodes.find((n) => n.id === 'Missing/Service/shop/catalog-api')!, parseFilter('kind:missing')));
  });

  it('wraps labels without losing characters', () => {
    for (const l of ['80 → http (web:8080)', 'beta.shop.example.com/api/catalog → 80 (90%)', 'HTTP 80, HTTPS 443 *.shop.example.com', '9102 → http-metrics (unresolved)']) {
      const lines = wrapLabel(l, 26);
      assert.equal(lines.join(''), l);
      assert.ok(lines.every((x) => x.length <= 26 || !/, |\s→ |\s\(/.test(x.trimEnd())), JSON.stringify(lines));
    }
  });

  it('drops a route\'s only hostname from its backend labels', () => {
    const v = view();
    const e = v.edges.find((x) => x.to === 'Service/shop/catalog' && x.kind === 'routes')!;
    assert.equal(displayLabel(e, v.nodes.find((n) => n.id === e.from)), '/api/catalog → 80 (90%)');
    const ing = v.edges.find((x) => x.from === 'Ingress/shop/shop' && x.to === 'Service/shop/cart')!;
    assert.equal(displayLabel(ing, v.nodes.find((n) => n.id === ing.from)), 'shop.example.com/api/cart → 80');
  });

  it('shows the key facts of a node', () => {
    const f = (id: string): string => factsOf(graph.nodes.find((n) => n.id === id)!);
    assert.equal(f('Deployment/shop/frontend'), 'Deployment · 3 replicas');
    assert.equal(f('DaemonSet/platform/node-exporter'), 'DaemonSet · one per node');
    assert.match(f('Service/shop/backoffice'), /NodePort 30090/);
    assert.match(f('Service/payments/payments-webhooks'), /LoadBalancer/);
    assert.match(f('Service/data/postgres'), /Headless/);
    assert.equal(f('Missing/Service/shop/catalog-api'), 'missing Service');
  });

  it('uses codicon code points that exist in @vscode/codicons', () => {
    const css = readFileSync(path.join(ROOT, 'node_modules/@vscode/codicons/dist/codicon.css'), 'utf8');
    for (const [name, cp] of Object.entries(CODICONS)) {
      const m = new RegExp(`\\.codicon-${name}:before\\s*\\{\\s*content:\\s*"\\\\([0-9a-f]+)"`).exec(css);
      assert.ok(m, `codicon ${name} not in codicon.css`);
      assert.equal(parseInt(m[1]!, 16), cp, name);
    }
  });
});

describe('layout (ELK)', () => {
  const elk = new ELK();
  let lay: Layout;

  it('lays out the examples', async () => {
    lay = await layout(elk, view(), measure);
    assert.equal(lay.nodes.size, view().nodes.length);
    assert.ok(lay.width > 0 && lay.height > 0);
  });

  it('sends every edge left to right, in columns by kind', () => {
    for (const e of lay.edges) {
      const a = lay.nodes.get(e.view.from)!;
      const b = lay.nodes.get(e.view.to)!;
      assert.ok(a.x + a.width <= b.x, `${e.view.from} -> ${e.view.to}`);
      assert.ok(e.points.length >= 2, e.view.id);
    }
    // One x per kind column inside a box.
    const xs = new Map<string, Set<number>>();
    for (const n of lay.nodes.values()) {
      if (n.view.box === undefined) continue;
      const key = `${n.view.box}/${n.view.partition}`;
      xs.set(key, (xs.get(key) ?? new Set()).add(Math.round(n.x)));
    }
    for (const [key, set] of xs) assert.equal(set.size, 1, `column ${key} at ${[...set].join(', ')}`);
  });

  it('draws a mesh route (GAMMA) before its Service and a mirror as its own edge, left to right, and lays them out', async () => {
    const g = examplesGraph(['test/webview/fixtures/gateway-semantics.yaml']);
    const v = view(g);
    const drawn = (from: string, to: string) => v.edges.find((e) => e.from === from && e.to === to);
    // The mesh route's attachment stays route → Service (the Service is right of it); a Gateway's is reversed.
    assert.deepEqual(pick(drawn('HTTPRoute/app/split', 'Service/app/echo')), { kind: 'attaches', reversed: false, label: 'mesh port 80 (producer)' });
    assert.deepEqual(pick(drawn('Gateway/app/edge', 'HTTPRoute/app/site')), { kind: 'attaches', reversed: true, label: '' });
    assert.deepEqual(pick(drawn('HTTPRoute/app/site', 'Service/app/shadow')), { kind: 'mirrors', reversed: false, label: 'mirror 10% → 80' });
    const placed = await layout(elk, v, measure);
    for (const e of placed.edges) {
      const a = placed.nodes.get(e.view.from)!;
      const b = placed.nodes.get(e.view.to)!;
      assert.ok(a.x + a.width <= b.x, `${e.view.from} -> ${e.view.to}`);
    }
  });

  it('keeps nodes inside their namespace box and apart from each other', () => {
    const boxes = new Map(lay.namespaces.map((b) => [b.name, b]));
    const list = [...lay.nodes.values()];
    for (const n of list) {
      if (n.view.box === undefined) continue;
      const b = boxes.get(n.view.box)!;
      assert.ok(n.x >= b.x && n.y >= b.y && n.x + n.width <= b.x + b.width && n.y + n.height <= b.y + b.height, n.view.id);
    }
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        assert.ok(!overlap, `${a.view.id} overlaps ${b.view.id}`);
      }
    }
  });

  it('places the labels of edges on them', () => {
    const labelled = lay.edges.filter((e) => e.label);
    assert.ok(labelled.length >= 25);
    for (const e of labelled) {
      const l = e.label!;
      // The edge passes through its label's box.
      const through = e.points.some((p, i) => {
        const q = e.points[i + 1];
        return q && Math.abs(p.y - q.y) < 0.5 && p.y >= l.y && p.y <= l.y + l.height && Math.min(p.x, q.x) <= l.x + 1 && Math.max(p.x, q.x) >= l.x + l.width - 1;
      });
      assert.ok(through, `${e.view.id} ${e.view.label}`);
    }
  });
});
