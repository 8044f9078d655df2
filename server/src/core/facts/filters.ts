import type { HeaderModifier, RouteFilter } from '../model/resources';
import { groupText } from './backends';

/** What route filters do, in words: for hovers and the trace's hops. */

export const headerText = (h: HeaderModifier): string => [
  ...h.set.map((x) => `set ${x.name}: ${x.value}`), ...h.add.map((x) => `add ${x.name}: ${x.value}`), ...h.remove.map((x) => `remove ${x}`),
].join(', ') || 'no changes';

export const percentText = (n: number): string => `${Math.round(n * 10) / 10}%`;

export function filterText(f: RouteFilter): string {
  if (f.redirect) {
    const r = f.redirect;
    const parts = [r.scheme && `scheme ${r.scheme}`, r.hostname && `host ${r.hostname}`, r.port !== undefined && `port ${r.port}`,
      r.path && `${r.path.type} ${r.path.value ?? '(missing)'}`].filter(Boolean);
    return `RequestRedirect ${r.statusCode}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  }
  if (f.rewrite) {
    const parts = [f.rewrite.hostname && `Host ${f.rewrite.hostname}`, f.rewrite.path && `path ${f.rewrite.path.type} ${f.rewrite.path.value ?? '(missing)'}`].filter(Boolean);
    return `URLRewrite (${parts.join(', ') || 'nothing'})`;
  }
  if (f.headers) return `${f.type}: ${headerText(f.headers)}`;
  if (f.mirror) {
    const ref = f.mirror.ref;
    return `RequestMirror ${percentText(f.mirror.percent)} to ${ref.kind} ${ref.namespace?.value ? `${ref.namespace.value}/` : ''}${ref.name?.value ?? '?'}:${String(ref.port?.value ?? '?')}`;
  }
  if (f.extensionRef) return `ExtensionRef ${f.extensionRef.kind} ${f.extensionRef.name ?? '?'} (${groupText(f.extensionRef.group)}): implementation-specific, not traced`;
  return `${f.type}: not modelled`;
}
