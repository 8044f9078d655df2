import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { docsUrl } from '../core/rules/catalogue';
import type { Finding, Severity } from '../core/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding): Diagnostic {
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: docsUrl(f.code) },
    source: 'kube-traffic',
    message: f.message,
    ...(f.related.length ? { relatedInformation: f.related.map((r) => ({ location: { uri: r.uri, range: r.range }, message: r.message })) } : {}),
    ...(f.data ? { data: f.data } : {}),
  };
}
