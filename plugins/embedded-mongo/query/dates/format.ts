/**
 * MongoDB's date format strings (`$dateToString`, `$dateFromString`): the specifiers
 * %d %G %H %j %L %m %M %S %u %U %V %w %Y %z %Z %b %B %%; anything else after `%` fails
 * with 18536.
 */
import { CommandError } from '../../errors.ts';
import { fromLocal, isoWeekParts, localParts, sundayWeek, type Zone } from './zone.ts';

export const DEFAULT_FORMAT = '%Y-%m-%dT%H:%M:%S.%LZ';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number, width: number): string => {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? '-' + s : s;
};

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return sign + pad(Math.floor(abs / 60), 2) + pad(abs % 60, 2);
}

export function formatDate(date: Date, format: string, zone: Zone): string {
  const p = localParts(date, zone);
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const spec = format[++i];
    switch (spec) {
      case 'Y': out += pad(p.year, 4); break;
      case 'G': out += pad(isoWeekParts(p).isoWeekYear, 4); break;
      case 'm': out += pad(p.month, 2); break;
      case 'd': out += pad(p.day, 2); break;
      case 'H': out += pad(p.hour, 2); break;
      case 'M': out += pad(p.minute, 2); break;
      case 'S': out += pad(p.second, 2); break;
      case 'L': out += pad(p.millisecond, 3); break;
      case 'j': out += pad(p.dayOfYear, 3); break;
      case 'w': out += String(p.weekday + 1); break;
      case 'u': out += String(isoWeekParts(p).isoDayOfWeek); break;
      case 'U': out += pad(sundayWeek(p), 2); break;
      case 'V': out += pad(isoWeekParts(p).isoWeek, 2); break;
      case 'z': out += offsetText(p.offsetMinutes); break;
      case 'Z': out += String(p.offsetMinutes); break;
      case 'b': out += MONTHS[p.month - 1].slice(0, 3); break;
      case 'B': out += MONTHS[p.month - 1]; break;
      case '%': out += '%'; break;
      case undefined: throw new CommandError(18535, 'Unmatched \'%\' at end of format string');
      default: throw new CommandError(18536, `Invalid format character '%${spec}' in format string`);
    }
  }
  return out;
}

interface Parsed {
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
  offsetMinutes?: number;
}

const FIELD_RE: Record<string, [RegExp, keyof Parsed | null]> = {
  Y: [/^\d{4}/, 'year'],
  m: [/^\d{1,2}/, 'month'],
  d: [/^\d{1,2}/, 'day'],
  H: [/^\d{1,2}/, 'hour'],
  M: [/^\d{1,2}/, 'minute'],
  S: [/^\d{1,2}/, 'second'],
  L: [/^\d{1,3}/, 'millisecond'],
};

function fail(s: string): never {
  throw new CommandError(241, `Error parsing date string '${s}'`);
}

function parseOffset(text: string): number | null {
  if (text === 'Z' || text === 'UTC' || text === 'GMT') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (!m) return null;
  return (Number(m[2]) * 60 + Number(m[3] ?? 0)) * (m[1] === '-' ? -1 : 1);
}

/** Parses with an explicit format (specifiers as in formatDate; others must match literally). */
function parseWithFormat(s: string, format: string): Parsed {
  const out: Parsed = {};
  let rest = s;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== '%') {
      if (rest[0] !== ch) fail(s);
      rest = rest.slice(1);
      continue;
    }
    const spec = format[++i];
    if (spec === '%') {
      if (rest[0] !== '%') fail(s);
      rest = rest.slice(1);
    } else if (spec === 'z' || spec === 'Z') {
      const m = spec === 'z' ? /^(Z|[+-]\d{2}:?\d{2})/.exec(rest) : /^[+-]\d+/.exec(rest);
      if (!m) fail(s);
      out.offsetMinutes = spec === 'z' ? (parseOffset(m[0]) ?? fail(s)) : Number(m[0]);
      rest = rest.slice(m[0].length);
    } else {
      const field = FIELD_RE[spec];
      if (!field) throw new CommandError(18536, `Invalid format character '%${spec}' in format string`);
      const m = field[0].exec(rest);
      if (!m) fail(s);
      if (field[1]) out[field[1]] = spec === 'L' ? Number(m[0].padEnd(3, '0')) : Number(m[0]);
      rest = rest.slice(m[0].length);
    }
  }
  if (rest.length) fail(s);
  return out;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses without a format: ISO 8601 dates and date-times (T or space), an optional offset or Z. */
function parseIso(s: string): Parsed {
  const m = ISO_RE.exec(s.trim());
  if (!m) fail(s);
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    millisecond: m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0,
    offsetMinutes: m[8] ? (parseOffset(m[8]) ?? fail(s)) : undefined,
  };
}

/** `$dateFromString`: the instant a string designates, read in `zone` unless it names its own offset. */
export function parseDate(s: string, format: string | undefined, zone: Zone): Date {
  const p = format === undefined ? parseIso(s) : parseWithFormat(s, format);
  const month = p.month ?? 1;
  const day = p.day ?? 1;
  if (month < 1 || month > 12 || day < 1 || day > 31 || (p.hour ?? 0) > 23 || (p.minute ?? 0) > 59 || (p.second ?? 0) > 59) fail(s);
  const local = Date.UTC(p.year ?? 1970, month - 1, day, p.hour ?? 0, p.minute ?? 0, p.second ?? 0, p.millisecond ?? 0);
  if (new Date(local).getUTCDate() !== day) fail(s);
  const ms = p.offsetMinutes !== undefined ? local - p.offsetMinutes * 60000 : fromLocal(local, zone);
  return new Date(ms);
}
