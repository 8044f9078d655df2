/**
 * What every CLI command shares: its IO, file names relative to the working directory, usage
 * errors, and loading the manifests under PATHs through the workspace service.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Workspace } from '../core/variants/workspace';
import { helmRenderers } from '../node/helm/helmVariants';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../core/rules/context';
import { NodeHost } from '../node/nodeHost';
import type { DiskProblem } from '../service/host';
import { WorkspaceService } from '../service/workspaceService';

export interface CliIO {
  readonly cwd: string;
  stdout(s: string): void;
  stderr(s: string): void;
}

/** Bad command-line usage: reported as one line (plus the usage where it helps), exit code 2. */
export class UsageError extends Error {}

/** A path or file URI relative to `cwd`, `/`-separated (the file's name when it is `cwd` itself). */
export function rel(cwd: string, uri: string): string {
  const p = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  return path.relative(cwd, p).split(path.sep).join('/') || path.basename(p);
}

/**
 * Indexes the manifests under PATHs, for every command. A path the user named that cannot be read
 * is bad input (returned as an error); files skipped deeper in a folder are reported on stderr.
 */
export async function loadWorkspace(
  paths: readonly string[], io: CliIO, maxBytes: number, settings?: Partial<AnalysisSettings>, helm: HelmFlags = {},
): Promise<{ workspace: Workspace; skipped: number } | { error: string }> {
  const roots = paths.map((p) => pathToFileURL(path.resolve(io.cwd, p)).href);
  const service = new WorkspaceService(new NodeHost(), {}, {
    settings: {
      analysis: { ...DEFAULT_SETTINGS, ...settings }, exclude: [], maxFileBytes: maxBytes,
      // Charts are rendered with the helm on PATH (or --helm); --no-helm leaves them skipped.
      helm: { enabled: !helm.off, ...(helm.off ? { disabledBecause: 'disabled' as const } : {}), ...(helm.path ? { path: helm.path } : {}), valuesFiles: [], debounceMs: 0 },
    },
    renderers: helmRenderers,
    unreadable: 'report',
    // contracts.md: a variant's name is its path relative to the current directory.
    variantRoot: pathToFileURL(io.cwd).href,
  });
  service.setFolders(roots);
  const listing = await service.list();
  const missingRoot = listing.problems.find((p) => roots.includes(p.uri));
  if (missingRoot) return { error: `cannot read ${rel(io.cwd, missingRoot.uri)}: ${missingRoot.reason}` };
  for (const p of listing.problems) io.stderr(`kube-traffic: skipped ${rel(io.cwd, p.uri)}: ${p.reason}\n`);
  await service.reindex(listing);
  await service.whenRendered();
  const skipped = [...service.skippedFiles()].map(([uri, problem]): [string, string] => [uri, describe(problem, maxBytes)]);
  for (const [uri, reason] of skipped.sort()) io.stderr(`kube-traffic: skipped ${rel(io.cwd, uri)}: ${reason}\n`);
  return { workspace: service.workspace, skipped: listing.problems.length + skipped.length };
}

function describe(p: DiskProblem, maxBytes: number): string {
  switch (p.type) {
    case 'too-large': return `file is ${(p.bytes / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(1)} MB limit (kubeTraffic.maxFileSize)`;
    case 'unreadable': return p.reason;
    case 'missing': return 'no such file or directory';
    default: return assertNever(p);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}

/** `--helm PATH` (the helm binary) and `--no-helm` (do not render charts). */
export interface HelmFlags {
  readonly path?: string;
  readonly off?: boolean;
}

/** Reads `--helm`/`--no-helm` at argv[i]; returns how many arguments it took (0: not a helm flag). */
export function helmFlag(argv: readonly string[], i: number, flags: { path?: string; off?: boolean }): number {
  const a = argv[i]!;
  if (a === '--no-helm') { flags.off = true; return 1; }
  if (a.startsWith('--helm=')) { flags.path = a.slice('--helm='.length); return 1; }
  if (a === '--helm') {
    const v = argv[i + 1];
    if (v === undefined) throw new UsageError('--helm needs the path of the helm binary');
    flags.path = v;
    return 2;
  }
  return 0;
}
