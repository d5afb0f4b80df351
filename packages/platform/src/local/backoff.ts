/**
 * Diego's restart policy, shortened, shared by instances and the space's Redis: the first
 * restart at once, then 1 s, 2 s, 4 s... up to 30 s. A process that ran a minute before
 * it crashed starts the count again.
 */
export const CRASH_RESET_MS = 60_000;
export const MAX_RESTART_DELAY_MS = 30_000;

/** Counts a crash of a process started at `startedAt`: the new crash count, and how long to wait before the restart. */
export function nextRestart(crashes: number, startedAt: number, now = Date.now()): { crashes: number; delayMs: number } {
  const count = startedAt < now - CRASH_RESET_MS ? 1 : crashes + 1;
  return { crashes: count, delayMs: count <= 1 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 1000 * 2 ** (count - 2)) };
}

/** "restarting now (crash 1)", "restarting in 2 s (crash 3)". */
export function restartText(delayMs: number, crashes: number): string {
  return `${delayMs === 0 ? 'restarting now' : `restarting in ${delayMs / 1000} s`} (crash ${crashes})`;
}

/** Why a process ended, for the logs and `scripts/status`. */
export interface ExitRecord {
  /** CRASHED (Cloud Foundry's reason for any exit the platform did not ask for) or STOPPED. */
  reason: 'CRASHED' | 'STOPPED';
  /** "out of memory", "failed liveness check", "exited": what happened, in words. */
  description: string;
  /** The exit code, or the signal's name. */
  exit_status: number | string;
  at: string;
}
