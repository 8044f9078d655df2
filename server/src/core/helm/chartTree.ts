import { isMap, isScalar, parseDocument } from 'yaml';
import { dirname } from './charts';
import { declaredDependencies, type DeclaredDependency } from './dependencies';
import { parseTemplate, type Define, type ParsedTemplate } from './template';
import { ValuesLookup, valuesSource, type ValuesSource } from './values';

/**
 * One chart as Helm renders it: the root and its local subcharts, each under the name Helm gives
 * it in `# Source:` paths and in values (its alias, or its Chart.yaml name), with its templates,
 * helpers and the values files that set its `.Values`.
 */
export interface ChartNode {
  readonly uri: string;
  readonly name: string;
  /** Value keys from the root chart to this one ([] for the root). */
  readonly chain: readonly string[];
  readonly parent?: ChartNode;
  readonly children: ReadonlyMap<string, ChartNode>;
  readonly chartYaml: string;
  readonly dependencies: readonly DeclaredDependency[];
}

const MAX_TEMPLATE_CHARS = 2_000_000;

export class ChartTree {
  readonly root: ChartNode;
  private readonly templates = new Map<string, ParsedTemplate>();
  private helperIndex: Map<string, { define: Define; template: ParsedTemplate }> | undefined;
  private readonly lookups = new Map<ChartNode, ValuesLookup>();

  /**
   * @param files every text file of the chart by URI (templates, helpers, values files, Chart.yaml
   *   and requirements.yaml of the chart and its subcharts)
   * @param valuesFile the variant's `-f` file and its text (it may lie outside the chart)
   */
  constructor(rootUri: string, private readonly files: ReadonlyMap<string, string>, private readonly valuesFile?: { uri: string; label: string }) {
    this.root = this.node(rootUri, chartName(files.get(`${rootUri}/Chart.yaml`)) ?? basenameOf(rootUri), [], undefined);
  }

  private node(uri: string, name: string, chain: readonly string[], parent: ChartNode | undefined): ChartNode {
    const deps = [
      ...declaredDependencies(`${uri}/Chart.yaml`, this.files.get(`${uri}/Chart.yaml`) ?? ''),
      ...declaredDependencies(`${uri}/requirements.yaml`, this.files.get(`${uri}/requirements.yaml`) ?? ''),
    ];
    const children = new Map<string, ChartNode>();
    const node: ChartNode = { uri, name, chain, children, chartYaml: `${uri}/Chart.yaml`, dependencies: deps, ...(parent ? { parent } : {}) };
    for (const f of this.files.keys()) {
      if (!f.endsWith('/Chart.yaml') || dirname(dirname(dirname(f))) !== uri || !dirname(dirname(f)).endsWith('/charts')) continue;
      const dir = dirname(f);
      const own = chartName(this.files.get(f)) ?? basenameOf(dir);
      const aliases = deps.filter((d) => d.name === own && d.alias).map((d) => d.alias!);
      const names = aliases.length > 0 && !deps.some((d) => d.name === own && !d.alias) ? aliases : [own, ...aliases];
      for (const n of names) children.set(n, this.node(dir, n, [...chain, n], node));
    }
    return node;
  }

  /**
   * The node and file of a `# Source:` path (`podinfo/charts/redis/templates/x.yaml`); `packaged`
   * names a subchart that exists only as an archive (no file to point at).
   */
  resolveSource(source: string): { node: ChartNode; uri?: string; packaged?: string } {
    const segs = source.split('/');
    let node = this.root;
    let i = 1;
    while (segs[i] === 'charts' && i + 1 < segs.length) {
      const child = node.children.get(segs[i + 1]!);
      if (!child) return { node, packaged: segs[i + 1]! };
      node = child;
      i += 2;
    }
    const uri = `${node.uri}/${segs.slice(i).map(encodeURIComponent).join('/')}`;
    return this.files.has(uri) ? { node, uri } : { node };
  }

  template(uri: string): ParsedTemplate | undefined {
    let t = this.templates.get(uri);
    if (!t) {
      const text = this.files.get(uri);
      if (text === undefined) return undefined;
      // A huge template is not read line by line (its documents map to its first line).
      t = parseTemplate(uri, text.length > MAX_TEMPLATE_CHARS ? '' : text);
      this.templates.set(uri, t);
    }
    return t;
  }

  text(uri: string): string | undefined {
    return this.files.get(uri);
  }

  /** Every file under a `templates/` folder of the tree. */
  templateUris(): string[] {
    return [...this.files.keys()].filter((u) => /\/templates\//.test(u)).sort();
  }

  /** A named template (`define`) of any chart of the tree: Helm shares them across subcharts. */
  helper(name: string): { define: Define; template: ParsedTemplate } | undefined {
    if (!this.helperIndex) {
      this.helperIndex = new Map();
      for (const uri of this.templateUris()) {
        if (!this.files.get(uri)!.includes('define')) continue;
        const t = this.template(uri);
        for (const d of t?.defines ?? []) if (!this.helperIndex.has(d.name)) this.helperIndex.set(d.name, { define: d, template: t! });
      }
    }
    return this.helperIndex.get(name);
  }

  /** Where this chart's `.Values` come from, highest precedence first. */
  values(node: ChartNode): ValuesLookup {
    let l = this.lookups.get(node);
    if (!l) {
      const sources: ValuesSource[] = [];
      if (this.valuesFile) {
        const text = this.files.get(this.valuesFile.uri);
        if (text !== undefined) sources.push(valuesSource(this.valuesFile.uri, this.valuesFile.label, text, node.chain));
      }
      const levels: ChartNode[] = [];
      for (let n: ChartNode | undefined = node; n; n = n.parent) levels.unshift(n);
      for (const level of levels) {
        const uri = `${level.uri}/values.yaml`;
        const text = this.files.get(uri);
        const label = level === this.root ? 'values.yaml' : `${level.chain.join('/')}/values.yaml`;
        if (text !== undefined) sources.push(valuesSource(uri, label, text, node.chain.slice(level.chain.length)));
      }
      l = new ValuesLookup(sources);
      this.lookups.set(node, l);
    }
    return l;
  }
}

function chartName(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const doc = parseDocument(text, { uniqueKeys: false });
  if (!isMap(doc.contents)) return undefined;
  const v = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'name')?.value;
  return isScalar(v) && v.value !== null ? String(v.value) : undefined;
}

function basenameOf(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}
