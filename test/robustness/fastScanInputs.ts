/**
 * Inputs for the fast scanner's equivalence test (fastScan.test.ts): hand-written edge cases, and
 * a seeded mutator aimed at what the scanner decides itself: comment and blank lines at every
 * indentation (they move the end of ranges), empty values, scalars that are numbers, booleans or
 * nulls in one spelling and strings in another, quoting and escapes, keys, line endings, markers,
 * block scalars and values over several lines.
 */
import { Rng } from '../../scripts/fuzz/lib';

const SCALARS = [
  '80', '"80"', "'80'", '0x50', '0o17', '017', '1e3', '1E3', '-1', '+1', '.5', '1.', '1_000', '.inf', '-.Inf', '.NaN', '.nan',
  'yes', 'no', 'on', 'off', 'y', 'True', 'FALSE', 'true', '~', 'null', 'Null', 'NULL', '""', "''", '2001-12-14', '0.0', '-0',
  'a:b', 'http://x:80/y', 'a#b', 'a #b', '"a #b"', "'it''s'", '"a\\"b"', '"tab\\tnew\\nline"', '"\\u00e9\\x41\\U0001F600"',
  '"\\/"', '"\\q"', '"\\"', '"unclosed', "'unclosed", '[a, b]', '[a, "b", {c: d}]', '{a: 1, b: [2]}', '{a: 1, a: 2}', '[a,]',
  '[ ]', '{}', '[a b, c]', '{"a": 1}', '{a: }', '&x v', '*x', '!!str 80', '!tag x', '-x', '?x', ':x', '%x', '@x', '`x`', ',x',
  '- x', 'a: b', 'x:', 'é', '日本', 'a  b  ', 'v # c', 'v #c', 'v# c', '99999999999999999999', '0x', '1e', '+.5', '12e03',
];

const COMMENTS = ['#', '# c', '#c: d', '# - x', '#  '];

function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

type Op = (ls: string[], rng: Rng) => string;

const OPS: Record<string, Op> = {
  'comment-line': (ls, rng) => {
    const i = rng.int(ls.length + 1);
    const near = ls[Math.min(i, ls.length - 1)] ?? '';
    const ind = Math.max(0, indentOf(near) + rng.range(-4, 4));
    ls.splice(i, 0, ' '.repeat(ind) + rng.pick(COMMENTS));
    return `comment at line ${i} indent ${ind}`;
  },
  'blank-line': (ls, rng) => {
    const i = rng.int(ls.length + 1);
    const sp = rng.pick([0, 0, 1, 2, 4, 8, 12]);
    ls.splice(i, 0, ' '.repeat(sp));
    return `blank line at ${i} (${sp} spaces)`;
  },
  'trailing-comment': (ls, rng) => {
    const i = rng.int(ls.length);
    ls[i] = ls[i]! + rng.pick([' # c', '  #', ' #x: y', '#no-space', '   ']);
    return `after line ${i}`;
  },
  'scalar': (ls, rng) => {
    const cands = ls.map((l, i) => (/^\s*(- )?[^\s#:'"][^:#]*: \S/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!cands.length) return 'no scalar';
    const i = rng.pick(cands);
    const v = rng.pick(SCALARS);
    ls[i] = ls[i]!.replace(/^(\s*(?:- )?[^\s#:'"][^:#]*: ).*$/, `$1${v}`);
    return `line ${i} value ${v}`;
  },
  'empty-value': (ls, rng) => {
    const cands = ls.map((l, i) => (/^\s*(- )?[^\s#:][^:#]*: \S/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!cands.length) return 'no value';
    const i = rng.pick(cands);
    ls[i] = ls[i]!.replace(/^(\s*(?:- )?[^\s#:][^:#]*:) .*$/, rng.chance(0.3) ? '$1 # gone' : '$1');
    return `line ${i} emptied`;
  },
  'key-style': (ls, rng) => {
    const cands = ls.map((l, i) => (/^\s*(- )?[A-Za-z][\w.\/-]*:( |$)/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!cands.length) return 'no key';
    const i = rng.pick(cands);
    const form = rng.pick(['"$2"', "'$2'", '$2 ', '$2:x', '"$2 x"', '80', 'true', '~', '$2\\n', '"<<"']);
    ls[i] = ls[i]!.replace(/^(\s*(?:- )?)([A-Za-z][\w.\/-]*)(?=:( |$))/, `$1${form}`);
    return `line ${i} key ${form}`;
  },
  'duplicate-key': (ls, rng) => {
    const cands = ls.map((l, i) => (/^\s*[A-Za-z][\w.\/-]*: \S/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!cands.length) return 'no key';
    const i = rng.pick(cands);
    ls.splice(i + 1, 0, ls[i]!);
    return `line ${i} twice`;
  },
  'multi-line': (ls, rng) => {
    const cands = ls.map((l, i) => (/^\s*(- )?[^\s#:][^:#]*: [A-Za-z"'][^#]*$/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!cands.length) return 'no value';
    const i = rng.pick(cands);
    const ind = indentOf(ls[i]!) + rng.pick([-1, 0, 1, 2, 4]);
    const cont = rng.pick(['more words', '- dash', '"quoted"', 'a: b', 'x #y', '', 'end"', "end'"]);
    ls.splice(i + 1, 0, ...(rng.chance(0.3) ? [''] : []), ' '.repeat(Math.max(0, ind)) + cont);
    return `line ${i} continued at ${ind}: ${cont}`;
  },
  'block-scalar': (ls, rng) => {
    const cands = ls.map((l, i) => (/^\s*(- )?[^\s#:][^:#]*: \S/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!cands.length) return 'no value';
    const i = rng.pick(cands);
    const head = rng.pick(['|', '|-', '>', '>-', '|+', '|2', '| # c']);
    ls[i] = ls[i]!.replace(/: .*$/, `: ${head}`);
    const ind = indentOf(ls[i]!) + rng.pick([0, 1, 2, 4]);
    const body = [' '.repeat(ind) + 'line one', ...(rng.chance(0.5) ? [' '.repeat(rng.pick([0, ind, ind + 2]))] : []), ' '.repeat(ind + rng.pick([0, 2])) + 'line # two'];
    ls.splice(i + 1, 0, ...body);
    return `line ${i} block ${head} at ${ind}`;
  },
  'indent': (ls, rng) => {
    const i = rng.int(ls.length);
    const by = rng.pick([-2, -1, 1, 2]);
    ls[i] = by > 0 ? ' '.repeat(by) + ls[i] : ls[i]!.slice(Math.min(-by, indentOf(ls[i]!)));
    return `line ${i} by ${by}`;
  },
  'markers': (ls, rng) => {
    const m = rng.pick(['---', '--- # c', '...', '---\n# c', '\uFEFF']);
    if (m === '...') ls.push('...');
    else if (m === '\uFEFF') ls[0] = '\uFEFF' + (ls[0] ?? '');
    else ls.unshift(m);
    return `marker ${JSON.stringify(m)}`;
  },
  'seq-item': (ls, rng) => {
    const cands = ls.map((l, i) => (/^\s*- /.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!cands.length) return 'no item';
    const i = rng.pick(cands);
    const form = rng.pick(['-', '- # c', '- - x', '-   k: v', '- "q": v', '- [a]', '- {a: b}', '- |']);
    ls.splice(i, 0, ' '.repeat(indentOf(ls[i]!)) + form);
    return `line ${i} item ${form}`;
  },
};

const OP_NAMES = Object.keys(OPS);

/** Applies 1–3 seeded edge operators to a document; CRLF line ends one time in eight. */
export function mutateEdges(text: string, rng: Rng): { text: string; applied: string[] } {
  const ls = text.split('\n');
  const applied: string[] = [];
  const n = rng.range(1, 3);
  for (let k = 0; k < n; k++) {
    const op = rng.pick(OP_NAMES);
    applied.push(`${op}: ${OPS[op]!(ls, rng)}`);
  }
  let out = ls.join('\n');
  if (rng.chance(0.125)) {
    out = out.replace(/\r?\n/g, '\r\n');
    applied.push('CRLF');
  }
  return { text: out, applied };
}

/** Hand-written documents: each a case the scanner must take exactly or leave to the parser. */
export const EDGE_DOCUMENTS: readonly string[] = [
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: http\n',
  'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: web   # c\r\nspec:\r\n  ports:\r\n  - port: "80"\r\n    nodePort: 0x50\r\n',
  '\uFEFFapiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
  '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n...\n',
  '--- # first\n# comment\n\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  labels:\n    app: yes\n    tier: ~\n    n: 1e3\n    e:\n    q: \'it\'\'s\'\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector:\n    app: web\n    # trailing comment at the map\'s column\n\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector:\n    app: web\n      # deeper comment\n  # shallower\n        # deepest\nstatus: {}\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector:\n    app:\n    # between\n\n    tier: x\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector:\n    app:   # empty\n      # deeper\n    # same\n    tier:\n# low\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    metadata:\n      labels:\n        app: d\n    spec:\n      containers:\n      - name: c\n        args: ["--a", "--b=1"]\n        command:\n          - sh\n          - -c\n          - |\n            echo hi\n\n            echo there\n        ports:\n        -\n        - containerPort: 8080\n          name: http\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    description: a long text\n      that goes on\n\n      and on\n    other: "quoted over\n      two lines"\nspec: {}\n',
  'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Service\n  metadata: {name: b}\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  labels:\n    "quoted key": v\n    \'single\': v\n    a:b: c\n    http://x: y\n    80: port\n    true: t\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports:\n  - port: 80\n    port: 81\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: &n a\n  namespace: *n\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  labels: !!map\n    a: b\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector:\n    <<: {app: x}\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n\tname: a\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n// spec:\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  externalName: "a\\qb"\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: ' + 'x'.repeat(5000) + '\n  ' + 'k'.repeat(1100) + ': v\n',
  'a:\n' + Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n') + ' leaf\n',
  'kind: Kustomization\nresources:\n- base\npatches:\n- path: patch.yaml\n- patch-2.yaml\npatchesStrategicMerge:\n- sm.yaml\n',
  '- just\n- a list\n',
  'just a scalar\n',
  '# only a comment\n',
  '',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector:\n    app: x\n  # shallow\n    # deeper than the map after a shallow one\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  type: |\n    x\n  ports: []\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector:\n    app:\n      x\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name:\n    - a\nspec:\n  clusterIP: None\n  ports:\n  - {port: 80}\n',
];
