/**
 * `Kube Traffic: Trace Request…` and `Kube Traffic: Can Reach…`: pickers in front of the server's
 * trace and can-reach requests. The answer goes to the "Kube Traffic: Traffic" output (file:line
 * links are clickable there), a one-line notification, and the topology view's highlight.
 * Both commands also take their input as an argument and return the server's response, so other
 * extensions and the end-to-end tests can call them without UI.
 */
import * as vscode from 'vscode';
import {
  CanReachRequest, TraceRequest, TrafficTargetsRequest,
  type CanReachParams, type CanReachResponse, type TargetItem, type TraceParams, type TraceResponse, type TrafficTargets,
} from '../../server/src/protocol/messages';
import type { LanguageClient } from 'vscode-languageclient/node';

export const TRACE_REQUEST_COMMAND = 'kubeTraffic.traceRequest';
export const CAN_REACH_COMMAND = 'kubeTraffic.canReach';

/** Where the highlight of a traced request goes (the topology panel). */
export interface TraceHighlighter {
  showTrace(path: readonly string[], edges: readonly { from: string; to: string }[]): void;
}

export class TrafficCommands {
  private readonly output = vscode.window.createOutputChannel('Kube Traffic: Traffic');
  private lastUrl: string | undefined;

  constructor(private readonly client: () => LanguageClient | undefined, private readonly highlighter: TraceHighlighter) {}

  /** The commands and the output channel, for the extension's subscriptions. */
  register(): vscode.Disposable[] {
    return [
      this.output,
      vscode.commands.registerCommand(TRACE_REQUEST_COMMAND, (arg?: unknown) => this.trace(arg)),
      vscode.commands.registerCommand(CAN_REACH_COMMAND, (arg?: unknown) => this.canReach(arg)),
    ];
  }

  private running(): LanguageClient | undefined {
    const c = this.client();
    if (!c) void vscode.window.showWarningMessage('Kube Traffic: the language server is not running.');
    return c;
  }

  async trace(arg?: unknown): Promise<TraceResponse | undefined> {
    const client = this.running();
    if (!client) return undefined;
    let params: TraceParams | undefined = typeof arg === 'string' ? { url: arg } : isTraceParams(arg) ? arg : undefined;
    if (!params) {
      const chosen = await targetsIn(client, 'Kube Traffic: Trace Request…');
      if (!chosen) return undefined;
      const url = await pickUrl(chosen.targets.urls, this.lastUrl);
      if (!url) return undefined;
      params = { url, ...chosen.variant };
    }
    this.lastUrl = params.url;
    const response = await client.sendRequest(TraceRequest.type, params);
    if (response.type === 'error') {
      void vscode.window.showErrorMessage(`Kube Traffic: ${response.message}`);
      return response;
    }
    this.show(`$ kube-traffic trace ${params.url}${params.variant ? ` --variant ${params.variant}` : ''}`, response.text);
    this.highlighter.showTrace(response.result.nodeIds, response.result.edges);
    const r = response.result;
    if (r.outcome === 'reached') void vscode.window.showInformationMessage(`Kube Traffic: ${params.url} reaches ${reachedSummary(response)}. Path highlighted in the topology.`);
    else void vscode.window.showWarningMessage(`Kube Traffic: ${params.url} goes nowhere: ${r.stop?.rule ?? 'no route'}`);
    return response;
  }

  async canReach(arg?: unknown): Promise<CanReachResponse | undefined> {
    const client = this.running();
    if (!client) return undefined;
    let params: CanReachParams | undefined = isCanReachParams(arg) ? arg : undefined;
    if (!params) {
      const chosen = await targetsIn(client, 'Kube Traffic: Can Reach…');
      if (!chosen) return undefined;
      const { targets } = chosen;
      const from = await pickTarget(targets.workloads, 'From: the workload that opens the connection');
      if (!from) return undefined;
      const to = await pickTarget([...targets.services, ...targets.workloads.filter((w) => w.id !== from)], 'To: a Service or a workload');
      if (!to) return undefined;
      const port = await vscode.window.showInputBox({
        title: 'Kube Traffic: Can Reach…', prompt: 'Port: a number or name, optionally /TCP|UDP|SCTP. Empty: every port.', placeHolder: 'e.g. 80, http, 53/UDP',
      });
      if (port === undefined) return undefined;
      params = { from, to, ...(port.trim() ? { port: port.trim() } : {}), ...chosen.variant };
    }
    const response = await client.sendRequest(CanReachRequest.type, params);
    if (response.type === 'error') {
      const hint = response.suggestions.length ? ` (${response.suggestions.join(', ')})` : '';
      void vscode.window.showErrorMessage(`Kube Traffic: ${response.message}${hint}`);
      return response;
    }
    this.show(`$ kube-traffic can-reach ${params.from} ${params.to}${params.port ? ` --port ${params.port}` : ''}${params.variant ? ` --variant ${params.variant}` : ''}`, response.text);
    const r = response.result;
    const line = `Kube Traffic: ${params.from} → ${params.to}${params.port ? ` port ${params.port}` : ''}: ${r.verdict}. ${r.reason}`;
    if (r.verdict === 'allowed') void vscode.window.showInformationMessage(line);
    else void vscode.window.showWarningMessage(line);
    return response;
  }

  private show(command: string, text: string): void {
    this.output.clear();
    this.output.appendLine(command);
    this.output.append(text);
    this.output.show(true);
  }
}

function reachedSummary(response: Extract<TraceResponse, { type: 'result' }>): string {
  const ends = new Set<string>();
  const walk = (s: Extract<TraceResponse, { type: 'result' }>['result']['entries'][number]): void => {
    if (!s.stop && s.next.length === 0) ends.add(`${s.hop.kind} ${s.hop.namespace ? `${s.hop.namespace}/` : ''}${s.hop.name}`);
    for (const n of s.next) walk(n);
  };
  for (const e of response.result.entries) walk(e);
  const list = [...ends];
  return list.length <= 2 ? list.join(' and ') : `${list.slice(0, 2).join(', ')} and ${list.length - 2} more`;
}

/**
 * The pickers' targets, in the cluster the user chooses first when the workspace has variants
 * (Kustomize roots, Helm values variants); undefined when the user cancels.
 */
async function targetsIn(client: LanguageClient, title: string): Promise<{ targets: TrafficTargets; variant: { variant?: string } } | undefined> {
  const plain = await client.sendRequest(TrafficTargetsRequest.type, {});
  if (plain.variants.length === 0) return { targets: plain, variant: {} };
  const PLAIN = 'Plain view';
  const picked = await vscode.window.showQuickPick(
    [{ label: PLAIN, description: 'files in no Kustomize root or Helm chart' }, ...plain.variants.map((v) => ({ label: v, description: 'as applied' }))],
    { title, placeHolder: 'Which cluster: the plain files, or a Kustomize root / Helm values variant as applied' },
  );
  if (!picked) return undefined;
  if (picked.label === PLAIN) return { targets: plain, variant: {} };
  return { targets: await client.sendRequest(TrafficTargetsRequest.type, { variant: picked.label }), variant: { variant: picked.label } };
}

/** A picker of the workspace's example URLs that also takes any typed URL. */
function pickUrl(urls: readonly string[], last: string | undefined): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick();
    qp.title = 'Kube Traffic: Trace Request…';
    qp.placeholder = 'A URL as a client sends it: https://shop.example.com/api, web.shop:80, http://web.shop.svc.cluster.local/';
    const examples = urls.map((u) => ({ label: u, description: 'reaches an Ingress path or route match' }));
    const refresh = () => {
      const typed = qp.value.trim();
      qp.items = typed && !urls.includes(typed) ? [{ label: typed, description: 'trace this URL' }, ...examples] : examples;
    };
    if (last) qp.value = last;
    refresh();
    let done = false;
    qp.onDidChangeValue(refresh);
    qp.onDidAccept(() => {
      done = true;
      resolve(qp.selectedItems[0]?.label ?? (qp.value.trim() || undefined));
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

async function pickTarget(items: readonly TargetItem[], placeHolder: string): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    items.map((t) => ({ label: `${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`, description: t.file, id: t.id })),
    { title: 'Kube Traffic: Can Reach…', placeHolder, matchOnDescription: true },
  );
  return picked?.id;
}

function isTraceParams(v: unknown): v is TraceParams {
  return typeof v === 'object' && v !== null && typeof (v as { url?: unknown }).url === 'string';
}

function isCanReachParams(v: unknown): v is CanReachParams {
  const o = v as { from?: unknown; to?: unknown; port?: unknown } | null;
  return typeof v === 'object' && o !== null && typeof o.from === 'string' && typeof o.to === 'string' && (o.port === undefined || typeof o.port === 'string');
}
