/**
 * The language server in a real editor other than VS Code: Debian's Neovim (0.7, `vim.lsp.start_client`)
 * headless on a copy of examples/. neovim.lua drives Neovim's own LSP client and writes what it
 * saw; this file asserts on it. Needs `nvim` (apt-get install neovim); fails at once without it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { OPEN_LOCATIONS_COMMAND } from '../../server/src/protocol/messages';
import { examplesCopy, lineIndex, requireEditor, runEditor, SERVER } from './editorProcess';
import { examplePositions, HOVER_FACTS, PLANTED } from './examples';

const NVIM = process.env.KT_NVIM ?? 'nvim';

interface Loc { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }
interface Lens { range: Loc['range']; command?: { title: string; command: string; arguments?: unknown[] } }
interface Results {
  error?: string;
  steps: string[];
  registrations: string[];
  messages: string[];
  notifications: string[];
  execute_commands: string[] | null;
  unopened: Record<string, { code: string; severity: number; line: number; message: string }[]>;
  buffers_before_fix: string[];
  hover: { kind: string; value: string } | null;
  definition: Loc[] | Loc | null;
  references: Loc[] | null;
  code_actions: { title: string; kind: string; edit?: unknown }[];
  fixed_line?: string;
  fix_cleared?: boolean;
  codes_after_fix?: string[];
  lens_runs: { file: string; lenses: Lens[]; shown: { line: number; text: string }[]; message: string | null }[];
  server_exit_code?: number;
}

test('Neovim 0.7 (vim.lsp.start_client): diagnostics of unopened files, hover, definition, references, a quick fix, code lenses', async () => {
  const version = requireEditor(NVIM, 'apt-get install -y --no-install-recommends neovim');
  const tmp = examplesCopy();
  try {
    const root = path.join(tmp, 'examples');
    const uri = (rel: string) => pathToFileURL(path.join(root, rel)).href;
    const rel = (u: string) => path.relative(root, new URL(u).pathname);
    const at = examplePositions(root);
    const { read, serviceName } = at;
    const frontend = read('shop/frontend.yaml');
    const input = {
      root, node: process.execPath, server: SERVER, open: 'shop/frontend.yaml',
      wait_unopened: [
        { file: 'shop/cart.yaml', code: 'service-selects-nothing' },
        { file: 'shop/cart.yaml', code: 'target-port-unresolved' },
        { file: 'shop/ingress.yaml', code: 'ingress-service-missing' },
        { file: 'legacy/storefront-nodeport.yaml', code: 'yaml-syntax' },
        { file: 'legacy/storefront-nodeport.yaml', code: 'node-port-conflict' },
        { file: 'platform/httproute.yaml', code: 'route-cross-namespace-without-grant' },
      ],
      hover: { file: 'shop/frontend.yaml', line: at.servicePort, character: 12 },
      definition: { file: 'shop/ingress.yaml', line: at.ingressBackend, character: 24 },
      references: { file: 'shop/frontend.yaml', line: serviceName, character: 10 },
      quickfix: { file: 'shop/cart.yaml', code: 'service-selects-nothing', line: at.cartSelector },
      // Lenses alone on their line (Neovim runs them without a prompt): the Deployment `frontend`'s,
      // and the ExternalName Service's, which has nothing to open.
      lens_runs: [
        { file: 'shop/frontend.yaml', title: 'reached by 3 Services, 1 Ingress, 1 route' },
        { file: 'payments/external.yaml', title: 'CNAME → api.psp.example.com' },
      ],
    };
    const inFile = path.join(tmp, 'in.json');
    const outFile = path.join(tmp, 'out.json');
    fs.writeFileSync(inFile, JSON.stringify(input));
    const run = await runEditor(NVIM, ['--headless', '--clean', '-n', '-u', 'NONE', '-c', `luafile ${path.join(__dirname, 'neovim.lua')}`],
      path.join(tmp, 'home'), { KT_IN: inFile, KT_OUT: outFile }, 60000);
    assert.ok(fs.existsSync(outFile), `${version} wrote no results (exit ${run.code}); stderr: ${run.stderr.slice(-2000)}`);
    const r = JSON.parse(fs.readFileSync(outFile, 'utf8')) as Results;
    assert.equal(r.error, undefined, `the Neovim script failed after steps ${JSON.stringify(r.steps)}: ${r.error}`);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(r.steps, ['hover', 'definition', 'references', 'quickfix', 'codelens']);

    // Connecting: nothing registered dynamically (Neovim supports none of it), the lens command advertised.
    assert.deepEqual(r.registrations, [], 'no client/registerCapability to a client without dynamic registration');
    assert.deepEqual(r.execute_commands, [OPEN_LOCATIONS_COMMAND]);

    // The planted findings of examples/README.md, all published while only frontend.yaml was open.
    assert.deepEqual(r.buffers_before_fix, [path.join(root, 'shop/frontend.yaml')]);
    const byFile = Object.fromEntries(Object.entries(r.unopened).map(([u, ds]) => [rel(u), ds.map((d) => d.code).sort()]));
    assert.deepEqual(byFile, PLANTED);
    const legacy = r.unopened[uri('legacy/storefront-nodeport.yaml')]!;
    assert.equal(legacy.find((d) => d.code === 'yaml-syntax')!.line, at.legacyComment);
    // Severity 4 (hint): the setting Neovim answered workspace/configuration with applies.
    assert.deepEqual(legacy.filter((d) => d.code === 'node-port-conflict').map((d) => [d.line, d.severity]), [[at.legacyNodePort, 4]]);

    // Hover on the Service's `port: 80`: the chain to the Deployment's container port.
    assert.equal(r.hover?.kind, 'markdown');
    for (const fact of HOVER_FACTS) assert.match(r.hover!.value, fact);

    // Definition from the Ingress backend: exactly the Service's name.
    const defs = Array.isArray(r.definition) ? r.definition : r.definition ? [r.definition] : [];
    assert.deepEqual(defs.map((d) => [rel(d.uri), d.range.start.line, d.range.start.character, d.range.end.character]),
      [['shop/frontend.yaml', serviceName, 8, 16]]);

    // References to the Service: the Ingress backend and the HTTPRoute backendRef.
    assert.deepEqual((r.references ?? []).map((d) => `${rel(d.uri)}:${d.range.start.line}:${d.range.start.character}`).sort(), [
      `platform/httproute.yaml:${at.routeBackend}:16`,
      `shop/ingress.yaml:${at.ingressBackend}:22`,
    ]);

    // The quick fix, applied by Neovim to the buffer; the server sees the edit and the finding goes.
    assert.deepEqual(r.code_actions.map((a) => [a.title, a.kind]), [['Change selector to app=cart-service', 'quickfix']]);
    assert.equal(r.fixed_line, '    app: cart-service');
    assert.equal(r.fix_cleared, true, `still: ${JSON.stringify(r.codes_after_fix)}`);
    assert.deepEqual(r.codes_after_fix, ['target-port-unresolved']);

    // Code lenses: plain titles, each with the command the server runs; shown as such by Neovim.
    assert.deepEqual(r.lens_runs.map((x) => x.file), ['shop/frontend.yaml', 'payments/external.yaml']);
    for (const run of r.lens_runs) {
      assert.ok(run.lenses.length > 0, run.file);
      for (const l of run.lenses) {
        assert.equal(l.command?.command, OPEN_LOCATIONS_COMMAND, `${run.file}: ${JSON.stringify(l)}`);
        assert.doesNotMatch(l.command!.title, /\$\(|topology/);
      }
      assert.doesNotMatch(run.shown.map((t) => t.text).join('\n'), /Unresolved lens/);
    }
    const [front, external] = r.lens_runs as [Results['lens_runs'][0], Results['lens_runs'][0]];
    assert.ok(front.lenses.length >= 5, JSON.stringify(front.lenses));
    // As Neovim displays them: one line per object, lenses joined by " | ", in the object's head.
    const shown = JSON.stringify(front.shown);
    const head = (text: string) => front.shown.find((t) => t.text === text)?.line ?? -1;
    const deployment = head('reached by 3 Services, 1 Ingress, 1 route');
    assert.ok(deployment >= 0 && deployment <= lineIndex(frontend, 'kind: Deployment'), `Deployment lens at ${deployment}: ${shown}`);
    const service = head('selects 1 workload · 3 pods | reached by 1 Ingress, 1 route');
    assert.ok(service > lineIndex(frontend, '---') && service <= serviceName, `Service lens at ${service}: ${shown}`);
    // Running it (vim.lsp.codelens.run → workspace/executeCommand): Neovim 0.7 has no
    // window/showDocument, so the server lists the locations in a message, by file and line.
    const prefix = 'Kube Traffic: reached by 3 Services, 1 Ingress, 1 route: ';
    assert.ok(front.message?.startsWith(prefix), `${front.message}; Neovim said: ${JSON.stringify(r.notifications)}`);
    assert.deepEqual(front.message!.slice(prefix.length).split(', ').sort(), [
      at.nameLine('legacy/storefront-nodeport.yaml', 'storefront-legacy'),
      at.nameLine('platform/httproute.yaml', 'storefront'),
      `shop/frontend.yaml:${serviceName + 1}`,
      at.nameLine('shop/frontend.yaml', 'frontend-debug'),
      at.nameLine('shop/ingress.yaml', 'shop'),
    ].sort());
    // A lens with nothing to open runs too, and says so.
    assert.equal(external.message, 'Kube Traffic: CNAME → api.psp.example.com (nothing to open)', `Neovim said: ${JSON.stringify(r.notifications)}`);
    assert.deepEqual(r.notifications, []);
    assert.equal(r.server_exit_code, 0, 'the server shut down cleanly when Neovim stopped it');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
