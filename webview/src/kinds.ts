/**
 * What the topology draws for each kind of node: its column, its icon and its colour group. Kinds
 * come from the shared protocol (familyOfKind), never from lists re-declared here.
 */
import { classifyNode, familyOfKind, type GraphNode, type NodeFamily } from '../../server/src/protocol/webview';

/** The kind a node stands for: a Missing ghost stands for the kind it names. */
function standsFor(n: GraphNode): NodeFamily {
  const c = classifyNode(n);
  return c.family === 'missing' ? familyOfKind(c.node.details.missingKind) : c.family;
}

const COLUMN: { readonly [F in NodeFamily]: number } = {
  entry: 0, ingress: 1, gateway: 1, route: 2, service: 3, workload: 4, endpoints: 4, external: 5, missing: 5, other: 5,
};

/**
 * The left-to-right column of a node (ELK layer partition): entry points, Ingress/Gateway,
 * routes, Services, workloads and endpoints, External targets. A Missing ghost sits in the
 * column of the kind it stands for, so a broken reference points where the real thing would be.
 */
export function partitionOf(n: GraphNode): number {
  return COLUMN[standsFor(n)];
}

/** The column of Services: a mesh route attaching to one stands left of it. */
export const SERVICE_COLUMN = COLUMN.service;

/**
 * Codicon glyphs (code points of the codicon font, as in @vscode/codicons' codicon.css; a unit
 * test checks them against the installed CSS). Drawn as SVG text in the `codicon` font.
 */
export const CODICONS = {
  globe: 0xeb01, cloud: 0xebaa, server: 0xeb50, 'radio-tower': 0xeb34, 'sign-in': 0xea6f,
  'server-environment': 0xeba3, 'repo-forked': 0xea63, plug: 0xeb2d, layers: 0xebd2, database: 0xeace,
  'server-process': 0xeba2, play: 0xeb2c, watch: 0xeb7c, package: 0xeb29, target: 0xebf8,
  'link-external': 0xeb14, error: 0xea87, 'symbol-namespace': 0xea8b, 'expand-all': 0xeb95,
} as const;
export type CodiconName = keyof typeof CODICONS;

const ENTRY_ICONS = { internet: 'globe', 'load-balancer': 'cloud', nodes: 'server', 'external-ips': 'radio-tower' } as const;
const WORKLOAD_ICONS: Readonly<Record<string, CodiconName>> = {
  StatefulSet: 'database', DaemonSet: 'server-process', Job: 'play', CronJob: 'watch', Pod: 'package',
};

export function iconOf(n: GraphNode): CodiconName {
  const c = classifyNode(n);
  switch (c.family) {
    case 'entry': return ENTRY_ICONS[c.node.details.entry];
    case 'ingress': return 'sign-in';
    case 'gateway': return 'server-environment';
    case 'route': return 'repo-forked';
    case 'service': return 'plug';
    case 'workload': return WORKLOAD_ICONS[c.node.kind] ?? 'layers';
    case 'endpoints': return 'target';
    case 'external': return 'link-external';
    case 'missing': return 'error';
    case 'other': return 'package';
    default: return unreachable(c);
  }
}

export const glyph = (name: CodiconName): string => String.fromCodePoint(CODICONS[name]);

const GROUP: { readonly [F in NodeFamily]: string } = {
  entry: 'g-entry', ingress: 'g-gateway', gateway: 'g-gateway', route: 'g-route', service: 'g-service',
  workload: 'g-workload', endpoints: 'g-endpoints', external: 'g-external', missing: 'g-missing', other: 'g-other',
};

/** CSS class of a node's colour group. */
export const groupClassOf = (n: GraphNode): string => GROUP[classifyNode(n).family];

export function unreachable(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}
