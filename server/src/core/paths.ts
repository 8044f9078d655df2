/**
 * Where one file is relative to another, from their URIs alone (the core knows no workspace root):
 * how far apart their folders are, and a relative path that names a file unambiguously.
 */

const folderOf = (uri: string): string => uri.slice(0, uri.lastIndexOf('/'));

function decode(segment: string): string {
  try { return decodeURIComponent(segment); } catch { return segment; }
}

/**
 * 0 for the same file, 1 for the same folder, then 2 + the number of folder steps between the two
 * folders (up to their common ancestor and down again).
 */
export function folderDistance(fromUri: string, uri: string): number {
  if (uri === fromUri) return 0;
  const from = folderOf(fromUri);
  const to = folderOf(uri);
  if (to === from) return 1;
  const a = from.split('/');
  const b = to.split('/');
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return 2 + (a.length - common) + (b.length - common);
}

/**
 * `uri`'s path relative to the folder of `fromUri`: `deployment.yaml` in the same folder,
 * `../backend/deployment.yaml` elsewhere. Decoded for reading (`my app/x.yaml`, not `my%20app`).
 * URIs of different schemes or authorities give the whole decoded path.
 */
export function relativePath(fromUri: string, uri: string): string {
  const origin = (u: string): string => /^[a-z][\w+.-]*:\/\/[^/]*/i.exec(u)?.[0] ?? '';
  if (origin(fromUri) !== origin(uri)) return decode(uri.slice(origin(uri).length));
  const a = folderOf(fromUri).slice(origin(fromUri).length).split('/');
  const b = uri.slice(origin(uri).length).split('/');
  const file = b.pop() ?? '';
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => '..'), ...b.slice(common), file].map(decode).join('/');
}
