import type { Lines } from './lines';

/**
 * How the fast scanner gives a document up: a throw of one shared object (no stack trace to
 * build), caught in scanDocument, which then answers undefined. Why and where the last document
 * was given up are kept for diagnostics (the equivalence test's statistics, debugging).
 */
const GIVE_UP = { giveUp: true };

let why = '';
let at = 0;
let current: Lines | undefined;

export function giveUp(reason = 'syntax the scanner does not take'): never {
  gaveUp(reason);
  throw GIVE_UP;
}

export const isGiveUp = (e: unknown): boolean => e === GIVE_UP;

/** Notes a refusal that needs no throw. */
export function gaveUp(reason: string): void {
  why = reason;
  at = current?.ls ?? 0;
}

/** The lines being scanned (where a refusal happens). */
export function scanning(lines: Lines): void {
  current = lines;
}

/** Why and at which offset the last document was given up. */
export function lastGiveUp(): { readonly why: string; readonly at: number } {
  return { why, at };
}
