/** Kubernetes name and value syntax, as the API server validates it (apimachinery validation). */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Returns a reason when invalid, undefined when valid. */
export function dns1035Label(s: string): string | undefined {
  if (s.length > 63) return 'must be no more than 63 characters';
  if (!DNS1035_LABEL.test(s)) return 'must consist of lower case alphanumeric characters or \'-\', start with a letter and end with an alphanumeric character';
  return undefined;
}

export function dns1123Label(s: string): string | undefined {
  if (s.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(s)) return 'must consist of lower case alphanumeric characters or \'-\', and start and end with an alphanumeric character';
  return undefined;
}

export function dns1123Subdomain(s: string): string | undefined {
  if (s.length > 253) return 'must be no more than 253 characters';
  for (const part of s.split('.')) {
    if (!DNS1123_LABEL.test(part)) return 'must be lower case alphanumeric labels separated by \'.\', each starting and ending with an alphanumeric character';
  }
  return undefined;
}

/** IANA_SVC_NAME: at most 15 characters of [-a-z0-9], at least one letter, no '--', no leading or trailing '-'. */
export function ianaSvcName(s: string): string | undefined {
  if (s.length === 0) return 'must not be empty';
  if (s.length > 15) return 'must be no more than 15 characters';
  if (!/^[-a-z0-9]+$/.test(s)) return 'must contain only lower case alphanumeric characters and \'-\'';
  if (!/[a-z]/.test(s)) return 'must contain at least one letter';
  if (s.includes('--')) return 'must not contain consecutive hyphens';
  if (s.startsWith('-') || s.endsWith('-')) return 'must not begin or end with a hyphen';
  return undefined;
}

export function labelKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  let name = key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    name = key.slice(slash + 1);
    if (prefix.length === 0) return 'prefix part must not be empty';
    const p = dns1123Subdomain(prefix);
    if (p) return `prefix part ${p}`;
    if (name.includes('/')) return 'must contain at most one \'/\'';
  }
  if (name.length === 0) return 'name part must not be empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!LABEL_NAME.test(name)) return 'name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and start and end with an alphanumeric character';
  return undefined;
}

export function labelValue(value: string): string | undefined {
  if (value.length === 0) return undefined;
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!LABEL_NAME.test(value)) return 'must be empty or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and start and end with an alphanumeric character';
  return undefined;
}

export const PROTOCOLS: ReadonlySet<string> = new Set(['TCP', 'UDP', 'SCTP']);
export const SERVICE_TYPES: ReadonlySet<string> = new Set(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);

export function isValidPortNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}

/** A qualified name (`name` or `prefix/name`), as appProtocol and loadBalancerClass are validated: the label-key syntax. */
export const qualifiedName = labelKey;

/** `*.example.com`: a wildcard in the first label only, the rest a DNS-1123 subdomain. */
export function wildcardDns1123Subdomain(s: string): string | undefined {
  if (s.length > 253) return 'must be no more than 253 characters';
  if (!s.startsWith('*.') || dns1123Subdomain(s.slice(2))) return 'a wildcard must be `*.` followed by a DNS name, e.g. `*.example.com`';
  return undefined;
}
