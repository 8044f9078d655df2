/**
 * Entry point of the topology webview bundle (webview/out/topology.js). Runs in the page's main
 * thread under a strict CSP (no eval, no workers): elkjs's bundled build lays out in-process.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import { parseToWebview, type FromWebview } from '../../server/src/protocol/webview';
import { App } from './app';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (m: FromWebview): void => vscode.postMessage(m);
const container = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
const app = new App(container, { post, getState: () => vscode.getState(), setState: (s) => vscode.setState(s) }, new ELK());

window.addEventListener('message', (event: MessageEvent) => {
  const m = parseToWebview(event.data);
  if (m) app.handle(m);
});
post({ type: 'ready' });
