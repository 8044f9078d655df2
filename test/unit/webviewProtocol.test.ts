import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromWebview, parseToWebview } from '../../server/src/protocol/webview';

test('messages from the webview are accepted only in their typed shapes', () => {
  const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } };
  assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseFromWebview({ type: 'reveal', uri: 'file:///ws/a.yaml', range, extra: 'dropped' }), { type: 'reveal', uri: 'file:///ws/a.yaml', range });
  assert.deepEqual(parseFromWebview({ type: 'rendered', nodes: 3, edges: 2, brokenEdges: 1 }), { type: 'rendered', nodes: 3, edges: 2, brokenEdges: 1 });
  for (const bad of [
    null, 'ready', 42, [], {}, { type: 'execute', command: 'rm -rf /' }, { type: 'reveal', uri: 7, range },
    { type: 'reveal', uri: 'file:///a', range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } } },
    { type: 'reveal', uri: 'file:///a', range: { start: { line: '1', character: 0 }, end: { line: 0, character: 0 } } },
    { type: 'reveal', uri: 'x'.repeat(5000), range },
    { type: 'export', format: 'exe', data: 'x' }, { type: 'export', format: 'png', data: 'javascript:alert(1)' },
    { type: 'rendered', nodes: 1.5, edges: 0, brokenEdges: 0 }, { type: 'error' },
  ]) assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
  const err = parseFromWebview({ type: 'error', message: 'x'.repeat(10_000) });
  assert.equal(err?.type === 'error' && err.message.length, 2000, 'long messages are truncated');
});

test('messages to the webview are validated too, dropping malformed nodes and edges', () => {
  const m = parseToWebview({
    type: 'graph', activeIds: ['Service/a'],
    graph: {
      nodes: [{ id: 'Service/a', kind: 'Service', name: 'a', details: {} }, { id: 5 }, null],
      edges: [{ from: 'a', to: 'b', kind: 'routes', label: 'x', broken: false }, { from: 'a', to: 'b', kind: 'routes', label: 'x', broken: 'no' }],
    },
  });
  assert.ok(m && m.type === 'graph');
  assert.equal(m.graph.nodes.length, 1);
  assert.equal(m.graph.edges.length, 1);
  assert.equal(parseToWebview({ type: 'graph', graph: { nodes: [], edges: [] }, activeIds: [1] }), undefined);
  assert.deepEqual(parseToWebview({ type: 'focus', ids: ['x'] }), { type: 'focus', ids: ['x'] });
  assert.equal(parseToWebview({ type: 'trace', path: 'x' }), undefined);
});
