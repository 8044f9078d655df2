import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding, Severity } from '../core/types';
import { ruleLinker } from '../node/rulesDoc';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** A diagnostic's code links to its section of the docs/rules.md shipped with the server (offline). */
const ruleLink = ruleLinker();

export function toDiagnostic(f: Finding): Diagnostic {
  const href = ruleLink(f.code);
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    ...(href ? { codeDescription: { href } } : {}),
    source: 'kube-traffic',
    // The editor has no field for it: the variants where the finding holds end the message.
    message: f.variants ? `${f.message} (in ${f.variants.join(', ')})` : f.message,
    ...(f.related.length ? { relatedInformation: f.related.map((r) => ({ location: { uri: r.uri, range: r.range }, message: r.message })) } : {}),
    ...(f.data ? { data: f.data } : {}),
  };
}
