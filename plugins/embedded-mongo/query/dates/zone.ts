/**
 * Time zones and calendar parts as MongoDB's date expressions see them: a zone is an
 * Olson name (any the runtime knows, e.g. "America/Argentina/Buenos_Aires", "UTC") or a
 * UTC offset ("+05:30", "+0530", "-05"); local parts are read from the UTC getters of
 * the instant shifted by the zone's offset at that instant.
 */
import { Long, ObjectId, Timestamp } from 'bson';
import { CommandError } from '../../errors.ts';
import { bsonType } from '../../bson/types.ts';

const OFFSET_RE = /^([+-])(\d{2}):?(\d{2})?$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

export interface Zone {
  /** Offset east of UTC, in minutes, at the given instant (ms since the epoch). */
  offsetAt(ms: number): number;
}

const UTC_ZONE: Zone = { offsetAt: () => 0 };

function formatterFor(name: string): Intl.DateTimeFormat | null {
  let f = formatters.get(name);
  if (f) return f;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return null;
  }
  if (formatters.size > 500) formatters.clear();
  formatters.set(name, f);
  return f;
}

/** The zone named by a `timezone` argument (undefined/null = UTC); unknown names fail with 40485. */
export function parseZone(tz: unknown): Zone {
  if (tz === undefined || tz === null) return UTC_ZONE;
  if (typeof tz !== 'string') throw new CommandError(40517, `timezone must evaluate to a string, found ${bsonType(tz)}`);
  const m = OFFSET_RE.exec(tz);
  if (m) {
    const minutes = (Number(m[2]) * 60 + Number(m[3] ?? 0)) * (m[1] === '-' ? -1 : 1);
    return { offsetAt: () => minutes };
  }
  if (tz === 'UTC' || tz === 'GMT' || tz === 'Z') return UTC_ZONE;
  const f = /^[A-Za-z]/.test(tz) ? formatterFor(tz) : null;
  if (!f) throw new CommandError(40485, `unrecognized time zone identifier: "${tz}"`);
  return {
    offsetAt(ms) {
      const p: Record<string, number> = {};
      for (const part of f.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
      const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
      return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
    },
  };
}

/** The instant whose local wall-clock time in `zone` is `localMs` (the earlier one at a DST overlap). */
export function fromLocal(localMs: number, zone: Zone): number {
  let guess = localMs - zone.offsetAt(localMs) * 60000;
  guess = localMs - zone.offsetAt(guess) * 60000;
  return guess;
}

export interface LocalParts {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** 1..366 */
  dayOfYear: number;
  offsetMinutes: number;
}

export function localParts(date: Date, zone: Zone): LocalParts {
  const offsetMinutes = zone.offsetAt(date.getTime());
  const d = new Date(date.getTime() + offsetMinutes * 60000);
  const year = d.getUTCFullYear();
  const dayOfYear = Math.floor((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(year, 0, 1)) / 86400000) + 1;
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    weekday: d.getUTCDay(),
    dayOfYear,
    offsetMinutes,
  };
}

/** Week of the year, weeks starting on Sunday; days before the first Sunday are week 0 (`$week`, `%U`). */
export function sundayWeek(p: LocalParts): number {
  return Math.floor((p.dayOfYear - 1 + 7 - p.weekday) / 7);
}

/** ISO 8601 week-numbering: week 1 holds the year's first Thursday. */
export function isoWeekParts(p: LocalParts): { isoWeekYear: number; isoWeek: number; isoDayOfWeek: number } {
  const isoDayOfWeek = p.weekday === 0 ? 7 : p.weekday;
  const thursday = Date.UTC(p.year, p.month - 1, p.day + 4 - isoDayOfWeek);
  const isoWeekYear = new Date(thursday).getUTCFullYear();
  const isoWeek = Math.floor((thursday - Date.UTC(isoWeekYear, 0, 1)) / (7 * 86400000)) + 1;
  return { isoWeekYear, isoWeek, isoDayOfWeek };
}

/**
 * The date a date expression's argument designates: a Date, a Timestamp or an ObjectId
 * (its creation time); null for null/missing. Anything else fails with 16006.
 */
export function toDateArg(v: unknown, op: string): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (v instanceof ObjectId) return v.getTimestamp();
  if (v instanceof Timestamp) return new Date(v.getHighBitsUnsigned() * 1000);
  if (v instanceof Long) throw new CommandError(16006, `can't convert from BSON type long to Date`);
  throw new CommandError(16006, `can't convert from BSON type ${bsonType(v)} to Date (${op})`);
}
