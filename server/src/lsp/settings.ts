import { RULES_BY_CODE } from '../core/rules/catalogue';
import { DEFAULT_SETTINGS } from '../core/rules/context';
import { SEVERITIES, type Severity } from '../core/types';
import { DEFAULT_CLIENT_SETTINGS, type KubeTrafficSettings } from '../protocol/messages';
import type { HelmConfig, ServiceSettings } from '../service/types';

/** `exclude`: kubeTraffic.exclude plus the files.exclude entries set to true. */
export interface ServerSettings extends ServiceSettings {
  /** Settings that could not be used, for one log line each. */
  readonly problems: readonly string[];
}

/** Validates raw `kubeTraffic` and `files` configuration sections; bad values fall back to defaults with a note. */
export function readSettings(raw: unknown, files: unknown, trusted = true): ServerSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof KubeTrafficSettings, unknown>>;
  const problems: string[] = [];
  let nodePortRange = DEFAULT_SETTINGS.nodePortRange;
  const npr = s.nodePortRange ?? DEFAULT_CLIENT_SETTINGS.nodePortRange;
  const m = typeof npr === 'string' ? /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(npr) : null;
  if (m && Number(m[1]) <= Number(m[2]) && Number(m[2]) <= 65535) nodePortRange = { min: Number(m[1]), max: Number(m[2]) };
  else problems.push(`kubeTraffic.nodePortRange: "${String(npr)}" is not MIN-MAX; using 30000-32767`);

  const severity: Record<string, Severity | 'off'> = {};
  if (s.severity && typeof s.severity === 'object') {
    for (const [code, level] of Object.entries(s.severity as Record<string, unknown>)) {
      if (!RULES_BY_CODE.has(code)) { problems.push(`kubeTraffic.severity: unknown code "${code}"`); continue; }
      if (level !== 'off' && !(SEVERITIES as readonly unknown[]).includes(level)) { problems.push(`kubeTraffic.severity.${code}: "${String(level)}" is not a severity`); continue; }
      severity[code] = level as Severity | 'off';
    }
  }
  const exclude = Array.isArray(s.exclude) ? s.exclude.filter((g): g is string => typeof g === 'string' && g.length > 0) : [];
  const filesExclude = files && typeof files === 'object' && (files as { exclude?: unknown }).exclude;
  if (filesExclude && typeof filesExclude === 'object') {
    for (const [glob, on] of Object.entries(filesExclude as Record<string, unknown>)) if (on === true) exclude.push(glob);
  }
  const mb = typeof s.maxFileSize === 'number' && s.maxFileSize > 0 ? s.maxFileSize : DEFAULT_CLIENT_SETTINGS.maxFileSize;
  return { analysis: { nodePortRange, severity }, exclude, maxFileBytes: Math.round(mb * 1048576), helm: readHelm(s.helm, trusted, problems), problems };
}

/** kubeTraffic.helm.*: rendering is on by default, never in an untrusted workspace. */
function readHelm(raw: unknown, trusted: boolean, problems: string[]): HelmConfig {
  const h = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (k: string) => (typeof h[k] === 'string' && (h[k] as string).trim() ? (h[k] as string).trim() : undefined);
  const list = (k: string) => (Array.isArray(h[k]) ? (h[k] as unknown[]).filter((x): x is string => typeof x === 'string' && x.length > 0) : []);
  const enabled = h.enabled !== false;
  if (h.enabled !== undefined && typeof h.enabled !== 'boolean') problems.push('kubeTraffic.helm.enabled: not true or false; using true');
  const kubeVersion = str('kubeVersion');
  if (kubeVersion && !/^v?\d+\.\d+(\.\d+)?$/.test(kubeVersion)) problems.push(`kubeTraffic.helm.kubeVersion: "${kubeVersion}" is not a Kubernetes version (1.31 or v1.31.2); helm will refuse it`);
  return {
    enabled: enabled && trusted,
    ...(!trusted ? { disabledBecause: 'untrusted' as const } : !enabled ? { disabledBecause: 'disabled' as const } : {}),
    ...(str('path') ? { path: str('path') } : {}),
    valuesFiles: list('valuesFiles'),
    ...(str('releaseName') ? { releaseName: str('releaseName') } : {}),
    ...(str('namespace') ? { namespace: str('namespace') } : {}),
    ...(kubeVersion ? { kubeVersion } : {}),
    apiVersions: list('apiVersions'),
    debounceMs: 600,
  };
}
