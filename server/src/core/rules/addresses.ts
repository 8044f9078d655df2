import { parseIp } from '../policy/cidr';

/**
 * IP address and CIDR syntax as the API server reads the Service address fields (clusterIPs,
 * externalIPs, loadBalancerSourceRanges). Kubernetes v1.36 parses them leniently (IPv4 octets with
 * leading zeros are accepted; the StrictIPCIDRValidation gate is alpha and off).
 */

export type Family = 'IPv4' | 'IPv6';

/** An address's family; undefined when it is not an IP address. IPv4-mapped IPv6 counts as IPv4, as Go's net.IP does. */
export function ipFamily(s: string): Family | undefined {
  const p = parseIp(s);
  if (!p) return undefined;
  if (p.bits === 32 || p.value >> 32n === 0xffffn) return 'IPv4';
  return 'IPv6';
}

/** Why an externalIP is refused although it parses (unspecified, loopback, link-local); undefined when fine. */
export function specialIpReason(s: string): string | undefined {
  const p = parseIp(s);
  if (!p) return undefined;
  const v4 = p.bits === 32 ? p.value : p.value >> 32n === 0xffffn ? p.value & 0xffffffffn : undefined;
  if (v4 !== undefined) {
    const a = Number(v4 >> 24n);
    if (v4 === 0n) return 'is unspecified (0.0.0.0)';
    if (a === 127) return 'is in the loopback range (127.0.0.0/8)';
    if (v4 >> 16n === 0xa9fen) return 'is in the link-local range (169.254.0.0/16)';
    if (v4 >> 8n === 0xe00000n) return 'is in the link-local multicast range (224.0.0.0/24)';
    return undefined;
  }
  const v = p.value;
  if (v === 0n) return 'is unspecified (::)';
  if (v === 1n) return 'is the loopback address (::1)';
  if (v >> 118n === 0x3fan) return 'is in the link-local range (fe80::/10)';
  if (v >> 120n === 0xffn && ((v >> 112n) & 0x0fn) === 0x2n) return 'is in the link-local multicast range (ff02::/16)';
  return undefined;
}

/** Is `s` a CIDR (address/prefix length within the family's bits)? */
export function isCidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = parseIp(s.slice(0, slash));
  const len = s.slice(slash + 1);
  return !!ip && /^\d{1,3}$/.test(len) && Number(len) <= ip.bits;
}
