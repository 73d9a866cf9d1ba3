/**
 * When a next contact falls: a number of calendar or working days after a
 * moment, at a local time of day, in a time zone. Working days are Monday
 * to Friday (public holidays are not known here). Pure.
 */
import type { FollowUpRule } from '../../metadata/types.ts';

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time at `date` in `timeZone`. */
export function localTime(date: Date, timeZone: string): LocalTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(date)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Offset of `timeZone` from UTC at `date`, in milliseconds. */
function offsetAt(date: Date, timeZone: string): number {
  const t = localTime(date, timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return asUtc - Math.floor(date.getTime() / 1000) * 1000;
}

/** The moment a wall-clock time in `timeZone` names (the later one when a clock change repeats it). */
export function fromLocalTime(local: LocalTime, timeZone: string): Date {
  const guess = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const first = guess - offsetAt(new Date(guess), timeZone);
  const second = guess - offsetAt(new Date(first), timeZone);
  return new Date(second);
}

const isWeekend = (year: number, month: number, day: number) => {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday === 0 || weekday === 6;
};

function addDays(local: LocalTime, days: number): LocalTime {
  const d = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  return { ...local, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `base` moved by the rule: calendar days or working days, then set to the rule's time of day. */
export function followUpDate(input: { base: Date; rule: FollowUpRule; timeZone?: string }): Date {
  const { rule } = input;
  const timeZone = input.timeZone ?? 'UTC';
  let local: LocalTime = localTime(input.base, timeZone);
  if (rule.businessDays !== undefined) {
    for (let left = rule.businessDays; left > 0; ) {
      local = addDays(local, 1);
      if (!isWeekend(local.year, local.month, local.day)) left--;
    }
    // Zero working days from a Saturday is Monday.
    while (isWeekend(local.year, local.month, local.day)) local = addDays(local, 1);
  } else {
    local = addDays(local, rule.days ?? 0);
  }
  if (rule.time !== undefined) {
    const [hour, minute] = rule.time.split(':').map(Number);
    local = { ...local, hour: hour!, minute: minute! };
  }
  return fromLocalTime(local, timeZone);
}
