/**
 * The language server in Emacs with Debian's Eglot (emacs-nox 28 + elpa-eglot 1.9), in batch
 * mode on a copy of examples/. emacs.el drives Eglot (its connection, xref backend, Flymake
 * diagnostics, code actions, command execution) and writes what it saw; this file asserts on it.
 * Needs `emacs` and elpa-eglot; fails at once without them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OPEN_LOCATIONS_COMMAND } from '../../server/src/protocol/messages';
import { examplesCopy, requireEditor, runEditor, SERVER } from './editorProcess';
import { examplePositions, HOVER_FACTS, PLANTED } from './examples';

const EMACS = process.env.KT_EMACS ?? 'emacs';
const INSTALL = 'apt-get install -y --no-install-recommends emacs-nox elpa-eglot';
const EGLOT = '/usr/share/emacs/site-lisp/elpa/';

interface XrefItem { file: string; line: number }
interface Results {
  error?: string;
  steps: string[];
  warnings: string[];
  messages: string[];
  registrations: string[];
  server_name: string;
  visited: string[];
  unopened: Record<string, [code: string, severity: number][]>;
  hover: string;
  definition: XrefItem[];
  references: XrefItem[];
  code_actions: string[];
  fixed_line: string;
  fix_cleared: boolean;
  codes_after_fix: string[];
  lens_commands: string[];
  lens_message: string;
  shutdown_seconds: number;
}

test('Emacs Eglot 1.9: connects without warnings, diagnostics of unopened files, hover, xref, a quick fix via Flymake, a lens command', async () => {
  const version = requireEditor(EMACS, INSTALL);
  if (!fs.existsSync(EGLOT) || !fs.readdirSync(EGLOT).some((d) => d.startsWith('eglot-'))) {
    throw new Error(`Eglot is not installed in ${EGLOT}. The editor tests need it: ${INSTALL} (the project's test setup step installs it).`);
  }
  const tmp = examplesCopy();
  try {
    const root = path.join(tmp, 'examples');
    const at = examplePositions(root);
    const input = {
      root, node: process.execPath, server: SERVER, open: 'shop/frontend.yaml',
      wait_unopened: Object.entries(PLANTED).flatMap(([file, codes]) => codes.map((code) => ({ file, code }))),
      hover: { file: 'shop/frontend.yaml', line: at.servicePort, character: 12 },
      definition: { file: 'shop/ingress.yaml', line: at.ingressBackend, character: 24 },
      references: { file: 'shop/frontend.yaml', line: at.serviceName, character: 10 },
      quickfix: { file: 'shop/cart.yaml', code: 'service-selects-nothing', line: at.cartSelector },
      lens: { file: 'shop/frontend.yaml', title: 'reached by 3 Services, 1 Ingress, 1 route' },
    };
    const inFile = path.join(tmp, 'in.json');
    const outFile = path.join(tmp, 'out.json');
    fs.writeFileSync(inFile, JSON.stringify(input));
    const run = await runEditor(EMACS, ['--batch', '-Q', '-l', path.join(__dirname, 'emacs.el')],
      path.join(tmp, 'home'), { KT_IN: inFile, KT_OUT: outFile }, 60000);
    assert.ok(fs.existsSync(outFile), `${version} wrote no results (exit ${run.code}); output: ${run.stderr.slice(-3000)}`);
    const r = JSON.parse(fs.readFileSync(outFile, 'utf8')) as Results;
    assert.equal(r.error, undefined, `the Emacs script failed after steps ${JSON.stringify(r.steps)}: ${r.error}\n${run.stderr.slice(-3000)}`);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(r.steps, ['hover', 'definition', 'references', 'quickfix', 'codelens']);

    // Connecting: no "Server tried to register unsupported capability"; Eglot supports dynamic
    // file watchers (and only those), so the server registers exactly that.
    assert.equal(r.server_name, 'kube-traffic');
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.registrations, ['workspace/didChangeWatchedFiles']);

    // The planted findings, published while only frontend.yaml was visited; the
    // eglot-workspace-configuration severity (hint = 4) applied.
    assert.deepEqual(r.visited, ['shop/frontend.yaml']);
    assert.deepEqual(Object.fromEntries(Object.entries(r.unopened).map(([f, ds]) => [f, ds.map((d) => d[0]).sort()])), PLANTED);
    assert.deepEqual(r.unopened['legacy/storefront-nodeport.yaml']!.filter((d) => d[0] === 'node-port-conflict').map((d) => d[1]), [4]);

    for (const fact of HOVER_FACTS) assert.match(r.hover, fact);

    // xref (1-based lines): M-. on the Ingress backend lands on the Service's name; M-? on that
    // name lists it (Eglot asks with includeDeclaration) and its two backends.
    assert.deepEqual(r.definition, [{ file: 'shop/frontend.yaml', line: at.serviceName + 1 }]);
    assert.deepEqual(r.references.map((x) => `${x.file}:${x.line}`).sort(), [
      `platform/httproute.yaml:${at.routeBackend + 1}`,
      `shop/frontend.yaml:${at.serviceName + 1}`,
      `shop/ingress.yaml:${at.ingressBackend + 1}`,
    ]);

    // Flymake had the diagnostic once cart.yaml was visited (the server publishes again on open),
    // eglot-code-actions offered the fix, Eglot applied it, and the finding went away.
    assert.deepEqual(r.code_actions, ['Change selector to app=cart-service']);
    assert.equal(r.fixed_line, '    app: cart-service');
    assert.equal(r.fix_cleared, true, `still: ${JSON.stringify(r.codes_after_fix)}`);
    assert.deepEqual(r.codes_after_fix, ['target-port-unresolved']);

    // Eglot 1.9 draws no code lenses, but runs their commands: every lens has the server's one.
    assert.ok(r.lens_commands.length >= 5 && r.lens_commands.every((c) => c === OPEN_LOCATIONS_COMMAND), JSON.stringify(r.lens_commands));
    assert.match(r.lens_message, /^Kube Traffic: reached by 3 Services, 1 Ingress, 1 route: /);
    assert.ok(r.lens_message.includes(`shop/frontend.yaml:${at.serviceName + 1}`), r.lens_message);
    assert.ok(r.shutdown_seconds < 1.5, `the shutdown request was answered (${r.shutdown_seconds} s; Eglot gives up after 1.5 s)`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
