/**
 * The matching rules of the Ingress and Gateway API specifications, as pure functions of strings.
 * Host names are compared lower-case (DNS is case-insensitive); paths case-sensitively.
 */

export type HostMatch = 'exact' | 'wildcard' | 'any';

/**
 * Ingress `host`: exact, or `*.foo.com`, which matches exactly one DNS label
 * (`bar.foo.com`, not `baz.bar.foo.com` nor `foo.com`). No host matches every request.
 */
export function ingressHostMatch(ruleHost: string | undefined, host: string): HostMatch | undefined {
  if (ruleHost === undefined || ruleHost === '') return 'any';
  const rule = ruleHost.toLowerCase();
  if (!rule.startsWith('*.')) return rule === host ? 'exact' : undefined;
  const suffix = rule.slice(1);
  if (!host.endsWith(suffix)) return undefined;
  const label = host.slice(0, host.length - suffix.length);
  return label !== '' && !label.includes('.') ? 'wildcard' : undefined;
}

/**
 * Gateway API hostnames (listener and route): exact, or `*.example.com` as a suffix match of one
 * or more labels (`test.example.com` and `foo.test.example.com`, not `example.com`).
 */
export function gatewayHostMatch(pattern: string | undefined, host: string): HostMatch | undefined {
  if (pattern === undefined || pattern === '') return 'any';
  const p = pattern.toLowerCase();
  if (!p.startsWith('*.')) return p === host ? 'exact' : undefined;
  return host.endsWith(p.slice(1)) && host.length > p.length - 1 ? 'wildcard' : undefined;
}

/** Path elements: `/aaa/bbb/` → [aaa, bbb]; empty elements (`//`) are dropped. */
export function pathElements(path: string): string[] {
  return path.split('/').filter((e) => e !== '');
}

/**
 * Prefix matching by path element (Ingress `Prefix`, Gateway API `PathPrefix`): every element of
 * the prefix equals the request's element at the same place; a trailing `/` on either side is ignored.
 * `/foo` matches `/foo`, `/foo/` and `/foo/bar`, not `/foobar`.
 */
export function prefixMatches(prefix: string, path: string): boolean {
  const want = pathElements(prefix);
  const have = pathElements(path);
  if (want.length > have.length) return false;
  for (let i = 0; i < want.length; i++) if (want[i] !== have[i]) return false;
  return true;
}

/** Whole-string regular expression match; an expression JavaScript cannot compile matches nothing. */
export function regexMatches(expression: string, value: string): boolean | 'invalid' {
  try {
    return new RegExp(`^(?:${expression})$`).test(value);
  } catch {
    return 'invalid';
  }
}

/**
 * Hostname intersection (listener and route hostnames): two precise names must be equal, a
 * wildcard takes the names it matches, two wildcards give the narrower one when it lies inside the
 * other. No hostname (or `*`) intersects everything. Returns the intersected hostname.
 */
export function hostnameIntersection(a: string | undefined, b: string | undefined): string | undefined {
  if (!a || a === '*') return b || '*';
  if (!b || b === '*') return a.toLowerCase();
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const wx = x.startsWith('*.');
  const wy = y.startsWith('*.');
  if (!wx && !wy) return x === y ? x : undefined;
  if (wx && !wy) return gatewayHostMatch(x, y) ? y : undefined;
  if (!wx && wy) return gatewayHostMatch(y, x) ? x : undefined;
  return y.endsWith(x.slice(1)) ? y : x.endsWith(y.slice(1)) ? x : undefined;
}
