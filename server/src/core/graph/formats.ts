import { classifyNode, type GraphNode, type TrafficGraph } from './types';

function nodeLabel(n: GraphNode): string {
  const c = classifyNode(n);
  const facts: string[] = [];
  if (c.family === 'service') facts.push(c.node.details.exposure.join(' · '));
  if (c.family === 'workload' && c.node.details.replicas !== null) facts.push(`replicas: ${c.node.details.replicas}`);
  return [c.family === 'missing' ? `missing ${c.node.details.missingKind}` : n.kind, n.name, ...facts].join('\n');
}

function byNamespace(g: TrafficGraph): Map<string, GraphNode[]> {
  const groups = new Map<string, GraphNode[]>();
  for (const n of g.nodes) {
    const key = n.namespace ?? '';
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(n);
  }
  return groups;
}

/** Mermaid flowchart; ids are replaced by n0, n1... because Mermaid ids cannot hold `/`. */
export function toMermaid(g: TrafficGraph): string {
  const ids = new Map(g.nodes.map((n, i) => [n.id, `n${i}`]));
  const esc = (s: string) => s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\n/g, '<br/>');
  const out = ['flowchart LR'];
  let sg = 0;
  for (const [ns, list] of byNamespace(g)) {
    const indent = ns ? '    ' : '  ';
    if (ns) out.push(`  subgraph ns${sg++}["namespace ${esc(ns)}"]`);
    for (const n of list) {
      const shape = n.kind === 'Missing' ? [`{{"`, `"}}`] : n.kind === 'External' ? [`(["`, `"])`] : [`["`, `"]`];
      out.push(`${indent}${ids.get(n.id)}${shape[0]}${esc(nodeLabel(n))}${shape[1]}`);
    }
    if (ns) out.push('  end');
  }
  g.edges.forEach((e) => {
    const arrow = e.broken ? '-.->' : '-->';
    const label = e.label ? `|"${esc(e.label)}"|` : '';
    out.push(`  ${ids.get(e.from)} ${arrow}${label} ${ids.get(e.to)}`);
  });
  const broken = g.edges.map((e, i) => (e.broken ? i : -1)).filter((i) => i >= 0);
  if (broken.length) out.push(`  linkStyle ${broken.join(',')} stroke:#d33,stroke-dasharray:5 5`);
  const missing = g.nodes.filter((n) => n.kind === 'Missing').map((n) => ids.get(n.id));
  if (missing.length) {
    out.push('  classDef missing stroke:#d33,stroke-dasharray:5 5,color:#d33');
    out.push(`  class ${missing.join(',')} missing`);
  }
  return out.join('\n') + '\n';
}

/** Graphviz DOT, namespaces as clusters. */
export function toDot(g: TrafficGraph): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const out = ['digraph kube_traffic {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  let i = 0;
  for (const [ns, list] of byNamespace(g)) {
    const indent = ns ? '    ' : '  ';
    if (ns) out.push(`  subgraph ${q(`cluster_${i++}`)} {`, `    label=${q(`namespace ${ns}`)};`);
    for (const n of list) {
      const style = n.kind === 'Missing' ? ', style=dashed, color=red, fontcolor=red' : n.kind === 'External' ? ', shape=ellipse' : '';
      out.push(`${indent}${q(n.id)} [label=${q(nodeLabel(n))}${style}];`);
    }
    if (ns) out.push('  }');
  }
  for (const e of g.edges) {
    const attrs = [`label=${q(e.label)}`];
    if (e.broken) attrs.push('style=dashed', 'color=red', 'fontcolor=red');
    out.push(`  ${q(e.from)} -> ${q(e.to)} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
