/**
 * When to restart a crashed language server, and when to tell the user. No vscode import, so the
 * policy is plain logic: the error handler in extension.ts asks it and shows what it says.
 *
 * - Up to MAX_RESTARTS restarts within WINDOW_MS; the next crash inside the window gives up.
 * - A "burst" is a run of crashes with less than WINDOW_MS between the first of the window and
 *   the latest: the user hears about it once (one short warning), not once per crash.
 */

export const MAX_RESTARTS = 4;
export const WINDOW_MS = 3 * 60 * 1000;

export type CrashDecision =
  /** Restart; `notify` is true only for the first crash of a burst. */
  | { readonly restart: true; readonly notify: boolean; readonly crashesInWindow: number }
  /** Too many crashes: stop restarting (the caller shows one error message). */
  | { readonly restart: false; readonly crashesInWindow: number };

export class CrashPolicy {
  private crashes: number[] = [];
  private notifiedThisBurst = false;

  constructor(
    private readonly maxRestarts = MAX_RESTARTS,
    private readonly windowMs = WINDOW_MS,
  ) {}

  /** The server's connection closed unexpectedly at `now`. */
  crashed(now: number): CrashDecision {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    if (this.crashes.length === 0) this.notifiedThisBurst = false; // a quiet window ends a burst
    this.crashes.push(now);
    const crashesInWindow = this.crashes.length;
    if (crashesInWindow > this.maxRestarts) return { restart: false, crashesInWindow };
    const notify = !this.notifiedThisBurst;
    this.notifiedThisBurst = true;
    return { restart: true, notify, crashesInWindow };
  }

  /** A manual restart (command) starts from a clean slate. */
  reset(): void {
    this.crashes = [];
    this.notifiedThisBurst = false;
  }
}
