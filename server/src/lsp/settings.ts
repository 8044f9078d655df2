import { RULES_BY_CODE } from '../core/rules/catalogue';
import { DEFAULT_SETTINGS } from '../core/rules/context';
import { SEVERITIES, type Severity } from '../core/types';
import { DEFAULT_CLIENT_SETTINGS, type KubeTrafficSettings } from '../protocol/messages';
import type { ServiceSettings } from '../service/types';

/** `exclude`: kubeTraffic.exclude plus the files.exclude entries set to true. */
export interface ServerSettings extends ServiceSettings {
  /** Settings that could not be used, for one log line each. */
  readonly problems: readonly string[];
}

/** Validates raw `kubeTraffic` and `files` configuration sections; bad values fall back to defaults with a note. */
export function readSettings(raw: unknown, files: unknown): ServerSettings {
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
  return { analysis: { nodePortRange, severity }, exclude, maxFileBytes: Math.round(mb * 1048576), problems };
}
