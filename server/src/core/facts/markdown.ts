/** Inline code that survives any manifest string (backticks, pipes, HTML). */
export function code(s: string | number | undefined | null): string {
  const t = String(s ?? '');
  if (!t.includes('`')) return '`' + t + '`';
  return '`` ' + t.replace(/``+/g, (m) => m.split('').join(' ')) + ' ``';
}

/** Plain text for markdown: escape characters markdown would interpret. */
export function text(s: string | number | undefined | null): string {
  return String(s ?? '').replace(/[\\`*_{}[\]()#+!|<>]/g, (c) => '\\' + c);
}

export function fileName(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

/** A resource's `namespace/name` (or `name`) as inline code. */
export function codeName(r: { readonly name: string | undefined; readonly namespace: string | undefined }): string {
  return code(r.namespace ? `${r.namespace}/${r.name ?? ''}` : r.name ?? '(unnamed)');
}
