/**
 * A record's past states, rebuilt from its field history: start from the
 * record as it is now (or from nothing, when it was deleted) and walk the
 * entries back, newest first, undoing each (a field takes its `from`
 * value again). The state right after each entry is what a rule would have
 * seen at that moment; `stageEnteredAt` is the time of the latest entry
 * that changed the stage. Pure.
 */
import type { HistoryEntry } from '../records/stored-record.ts';

export interface PastState {
  entry: HistoryEntry;
  /** the record right after the entry (null after a delete) */
  after: Record<string, unknown> | null;
  /** the record right before it (null before a create) */
  before: Record<string, unknown> | null;
}

function undo(state: Record<string, unknown>, entry: HistoryEntry): Record<string, unknown> {
  const out = { ...state };
  for (const change of entry.changes) {
    if (change.from === null || change.from === undefined) delete out[change.field];
    else out[change.field] = change.from;
  }
  out.version = entry.version - 1;
  return out;
}

/** States around each entry, oldest first. `entries` are every entry of one record. */
export function pastStates(current: Record<string, unknown> | null, entries: readonly HistoryEntry[]): PastState[] {
  const ordered = [...entries].sort((a, b) => a.version - b.version);
  const stageSince = new Map<number, Date>();
  let since: Date | undefined;
  for (const entry of ordered) {
    if (entry.changes.some((change) => change.field === 'stage')) since = entry.at;
    if (since) stageSince.set(entry.version, since);
  }
  const states: PastState[] = [];
  let state: Record<string, unknown> | null = current;
  for (let i = ordered.length - 1; i >= 0; i -= 1) {
    const entry = ordered[i]!;
    // A record that is gone was deleted by its newest entry (delete, or merge into another); that entry holds every value it had.
    const isDeletion = current === null && i === ordered.length - 1;
    const after: Record<string, unknown> | null = isDeletion ? null : state ? { ...state, version: entry.version } : null;
    const undone: Record<string, unknown> | null = entry.op === 'create' ? null : undo(after ?? {}, entry);
    const withStage = (value: Record<string, unknown> | null, version: number) => {
      const at = stageSince.get(version);
      return value && at ? { ...value, stageEnteredAt: at } : value;
    };
    states.push({ entry, after: withStage(after, entry.version), before: withStage(undone, entry.version - 1) });
    state = undone;
  }
  return states.reverse();
}

/** The record as it was at `at`: the state after the latest entry not later than it (null: it did not exist). */
export function stateAt(states: readonly PastState[], at: Date): Record<string, unknown> | null {
  let found: Record<string, unknown> | null = null;
  for (const state of states) {
    if (state.entry.at.getTime() > at.getTime()) break;
    found = state.after;
  }
  return found;
}
