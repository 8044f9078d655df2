/**
 * IPv4/IPv6 CIDR containment for NetworkPolicy ipBlocks. Addresses are compared as BigInts;
 * anything that does not parse gives undefined (the caller says "unknown").
 */

interface Parsed {
  readonly bits: 32 | 128;
  readonly value: bigint;
}

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(Number(p));
  }
  return v;
}

function parseIPv6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let text = s;
  // An embedded IPv4 tail (::ffff:10.0.0.1) is two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

export function parseIp(s: string): Parsed | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return { bits: 32, value: v4 };
  const v6 = s.includes(':') ? parseIPv6(s) : undefined;
  return v6 !== undefined ? { bits: 128, value: v6 } : undefined;
}

export function isIp(s: string): boolean {
  return parseIp(s) !== undefined;
}

/** Does `cidr` (a.b.c.d/n or IPv6/n) contain `ip`? undefined when either does not parse. */
export function cidrContains(cidr: string, ip: string): boolean | undefined {
  const slash = cidr.indexOf('/');
  if (slash < 0) return undefined;
  const net = parseIp(cidr.slice(0, slash));
  const addr = parseIp(ip);
  const lenText = cidr.slice(slash + 1);
  if (!net || !addr || !/^\d{1,3}$/.test(lenText)) return undefined;
  const len = Number(lenText);
  if (len > net.bits) return undefined;
  if (net.bits !== addr.bits) return false;
  const shift = BigInt(net.bits - len);
  return (net.value >> shift) === (addr.value >> shift);
}

/** A /0 block: every address of its family. */
export function isWholeFamily(cidr: string): boolean {
  return /\/0$/.test(cidr.trim()) && parseIp(cidr.trim().slice(0, -2)) !== undefined;
}
