/**
 * Time rules of reminders, in one place.
 */

/** A reminder delivered this long after the activity started is pointless: it is skipped (the overdue flag covers it). */
export const LATE_GRACE_MS = 10 * 60_000;

/** Planned activities more than this far in the past when first seen are not flagged overdue (old or imported data). */
export const OVERDUE_LOOKBACK_MS = 7 * 24 * 60 * 60_000;

/** The sweep re-creates missing reminders for planned activities starting within this window around now. */
export const RECONCILE_LOOKBACK_MS = 24 * 60 * 60_000;

/** E-mail failures before a reminder is given up (its in-app notification is already there). */
export const MAX_FAILURES = 6;

/** Wait before the next attempt after `failures` failed ones: 1, 2, 4 … minutes, at most an hour. */
export function retryDelayMs(failures: number): number {
  return Math.min(60, 2 ** Math.max(0, failures - 1)) * 60_000;
}
