import { discoverCharts, notRenderedMessage, type HelmChart, type HelmDiscovery } from '../../core/helm/index';
import type { Workspace } from '../../core/variants/workspace';
import type { HelmConfig, RendererFactory, VariantRenderer } from '../../service/types';
import { findHelm } from './process';
import { HELM_DEFAULTS, HelmRenderer } from './renderer';

/**
 * Keeps a Workspace's Helm variants current: each chart (Chart.yaml beside templates/) with each of
 * its values files is rendered by the real `helm template` (node/helm/renderer.ts: no shell, a clean
 * environment, bounded in time and output) into its own cluster. Renders run in the background,
 * one at a time, after a pause in changes; a newer change cancels the render it makes stale.
 * `onRendered` is called after each render that changed the workspace's variants.
 */
export class HelmVariants implements VariantRenderer {
  private readonly renderer = new HelmRenderer();
  private readonly rendered = new Map<string, HelmChart>();
  private stale = new Set<string>();
  private all = true;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private disposed = false;
  private helm: Promise<Awaited<ReturnType<typeof findHelm>>> | undefined;
  private notes: ReadonlyMap<string, string> = new Map();

  constructor(
    private readonly ws: Workspace,
    private readonly root: string,
    private readonly settings: HelmConfig,
    private readonly onRendered: () => void,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  changed(uris: ReadonlySet<string>): void {
    if (this.disposed) return;
    for (const u of uris) {
      if (/\/(Chart\.yaml|requirements\.yaml)$/.test(u) || /\/templates\//.test(u)) this.all = true;
      this.stale.add(u);
    }
    this.schedule();
  }

  /** Resolves when no render is pending or running (the CLI waits for it). */
  async whenIdle(): Promise<void> {
    for (;;) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.running ??= this.run();
      }
      const r = this.running;
      if (!r) return;
      await r;
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort?.abort();
    for (const name of this.ws.variantNames()) if (this.isHelmVariant(name)) this.ws.removeVariant(name);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.abort?.abort(); // a render of text that changed since is stale
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.running) this.running.then(() => this.schedule(), () => this.schedule());
      else this.running = this.run();
    }, this.settings.debounceMs ?? 500);
  }

  private async run(): Promise<void> {
    try {
      await this.renderAll();
    } catch (e) {
      this.log(`Kube Traffic: rendering Helm charts failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    } finally {
      this.running = undefined;
    }
  }

  private async renderAll(): Promise<void> {
    const stale = this.stale;
    const all = this.all;
    this.stale = new Set();
    this.all = false;
    const discovery = discoverCharts(this.ws.index.uris(), { root: this.root, valuesFiles: this.settings.valuesFiles ?? [] });
    const blocked = await this.blocked(discovery);
    const before = this.notes;
    this.notes = notes(this.ws, discovery, blocked);
    this.ws.setTemplateNotes(this.notes);
    let changed = !sameNotes(before, this.notes);
    const wanted = new Set(blocked ? [] : discovery.variants.map((v) => v.name));
    for (const name of this.ws.variantNames()) {
      if (this.isHelmVariant(name) && !wanted.has(name)) {
        this.ws.removeVariant(name);
        this.rendered.delete(name);
        changed = true;
      }
    }
    if (changed) this.onRendered();
    if (blocked) return;
    const helm = (await this.helm!);
    if (!helm.found) return;
    const abort = new AbortController();
    this.abort = abort;
    for (const chart of discovery.charts) {
      const touched = all || [...stale].some((u) => chart.members.has(u));
      for (const variant of chart.variants) {
        if (!touched && this.rendered.has(variant.name)) continue;
        if (abort.signal.aborted || this.disposed) return;
        const outcome = await this.renderer.render(chart, variant, {
          helm: helm.path, signal: abort.signal, overlays: overlays(this.ws, chart),
          releaseName: this.settings.releaseName ?? HELM_DEFAULTS.releaseName, namespace: this.settings.namespace ?? HELM_DEFAULTS.namespace,
          ...(this.settings.kubeVersion ? { kubeVersion: this.settings.kubeVersion } : {}),
          ...(this.settings.apiVersions?.length ? { apiVersions: this.settings.apiVersions } : {}),
          ...(this.settings.timeoutMs ? { timeoutMs: this.settings.timeoutMs } : {}),
        });
        if (outcome.status === 'cancelled' || this.disposed) return;
        this.ws.setVariant(outcome.render, chart.members);
        this.rendered.set(variant.name, chart);
        this.onRendered();
      }
    }
  }

  /** Why nothing can be rendered (Restricted Mode, turned off, no helm), as the notes will say; undefined: render. */
  private async blocked(d: HelmDiscovery): Promise<'untrusted' | 'disabled' | { message: string } | undefined> {
    if (d.charts.length === 0) return undefined;
    if (!this.settings.enabled) return this.settings.disabledBecause ?? 'disabled';
    this.helm ??= findHelm({ ...(this.settings.path ? { configured: this.settings.path } : {}) });
    const helm = await this.helm;
    return helm.found ? undefined : { message: helm.message };
  }

  private isHelmVariant(name: string): boolean {
    return this.rendered.has(name);
  }
}

function sameNotes(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/** The text editors hold for the chart's manifests (unsaved edits render too). */
function overlays(ws: Workspace, chart: HelmChart): Map<string, string> {
  const out = new Map<string, string>();
  for (const uri of chart.members) {
    const f = ws.index.file(uri);
    if (f && !String(f.parsed.version).startsWith('skipped:')) out.set(uri, f.parsed.text);
  }
  return out;
}

/** What each templated file that is not rendered says in its `template-skipped`. */
function notes(ws: Workspace, d: HelmDiscovery, blocked: Awaited<ReturnType<HelmVariants['blocked']>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const uri of ws.index.uris()) {
    if (!ws.index.file(uri)?.parsed.templated) continue;
    const chart = d.chartOf(uri);
    if (chart && blocked) {
      out.set(uri, typeof blocked === 'string' ? notRenderedMessage(chart.path, blocked) : notRenderedMessage(chart.path, 'helm-not-found', blocked.message));
    } else if (!chart) {
      const reason = d.skipReason(uri);
      if (reason) out.set(uri, `Template file (Helm/Go template syntax), not analysed. ${reason}`);
    }
  }
  return out;
}

/** The service's renderer factory for Helm (`ServiceOptions.renderers`): one HelmVariants when settings have Helm. */
export const helmRenderers: RendererFactory = (ctx) => {
  const helm = ctx.settings.helm;
  if (!helm) return [];
  return [new HelmVariants(ctx.workspace, ctx.root, helm, () => ctx.rendered(), (m) => ctx.log(m))];
};
