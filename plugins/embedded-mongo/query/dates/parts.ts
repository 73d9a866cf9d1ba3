/**
 * `$dateTrunc` and `$dateFromParts` with MongoDB's rules: bins counted from the reference
 * 2000-01-01 in the given zone (weeks from the first `startOfWeek` day), and parts outside
 * their ranges carried into the next unit (month 14 is February of the next year).
 */
import { evalExpr } from 'mingo/core';
import type { Options } from 'mingo/types';
import { CommandError } from '../../errors.ts';
import { numType, toNumberLoose } from '../../bson/numeric.ts';
import { bsonType, isPlainObject } from '../../bson/types.ts';
import { fromLocal, localParts, parseZone, toDateArg, type Zone } from './zone.ts';

type Obj = Record<string, unknown>;
type ExprOp = (obj: Obj, expr: unknown, options: Options) => unknown;

const DAY = 86400000;
const FIXED_MS: Record<string, number> = { hour: 3600000, minute: 60000, second: 1000, millisecond: 1 };
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const REF_LOCAL = Date.UTC(2000, 0, 1);

function floorTo(n: number, size: number): number {
  return Math.floor(n / size) * size;
}

function truncLocal(localMs: number, unit: string, binSize: number, startOfWeek: number): number {
  const d = new Date(localMs);
  if (unit === 'year' || unit === 'quarter' || unit === 'month') {
    const perBin = binSize * (unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1);
    const months = floorTo((d.getUTCFullYear() - 2000) * 12 + d.getUTCMonth(), perBin);
    return Date.UTC(2000 + Math.floor(months / 12), ((months % 12) + 12) % 12, 1);
  }
  if (unit === 'week' || unit === 'day') {
    const day = Math.floor((localMs - REF_LOCAL) / DAY);
    if (unit === 'day') return REF_LOCAL + floorTo(day, binSize) * DAY;
    // 2000-01-01 was a Saturday (6); weeks count from the first startOfWeek day on or after it
    // (2000-01-02 for the default Sunday).
    const refWeekStart = (startOfWeek - 6 + 7) % 7;
    return REF_LOCAL + (refWeekStart + floorTo(day - refWeekStart, 7 * binSize)) * DAY;
  }
  const ms = FIXED_MS[unit];
  return REF_LOCAL + floorTo(localMs - REF_LOCAL, ms * binSize);
}

function zoneOf(obj: Obj, spec: Obj, options: Options): Zone | null {
  if (spec.timezone === undefined) return parseZone(undefined);
  const tz = evalExpr(obj, spec.timezone, options);
  return tz === null || tz === undefined ? null : parseZone(tz);
}

export const $dateTrunc: ExprOp = (obj, expr, options) => {
  if (!isPlainObject(expr)) throw new CommandError(5439007, '$dateTrunc only supports an object as its argument');
  for (const k of Object.keys(expr)) {
    if (!['date', 'unit', 'binSize', 'timezone', 'startOfWeek'].includes(k)) throw new CommandError(5439008, `Unrecognized argument to $dateTrunc: ${k}`);
  }
  const raw = evalExpr(obj, expr.date, options);
  const unit = evalExpr(obj, expr.unit, options);
  const bin = expr.binSize === undefined ? 1 : evalExpr(obj, expr.binSize, options);
  if ([raw, unit, bin].some((v) => v === null || v === undefined)) return null;
  const zone = zoneOf(obj, expr, options);
  if (zone === null) return null;
  if (typeof unit !== 'string' || !(unit in FIXED_MS || ['year', 'quarter', 'month', 'week', 'day'].includes(unit))) {
    throw new CommandError(5439014, `$dateTrunc parameter 'unit' value cannot be recognized as a time unit: ${String(unit)}`);
  }
  const binSize = numType(bin) === null ? NaN : toNumberLoose(bin);
  if (!Number.isInteger(binSize) || binSize <= 0) throw new CommandError(5439017, `$dateTrunc requires 'binSize' to be a 64-bit integer greater than 0, but got value '${String(bin)}'`);
  let sow = 0;
  if (unit === 'week' && expr.startOfWeek !== undefined) {
    const v = evalExpr(obj, expr.startOfWeek, options);
    if (v === null || v === undefined) return null;
    sow = WEEKDAYS.findIndex((w) => typeof v === 'string' && (w === v.toLowerCase() || w.slice(0, 3) === v.toLowerCase()));
    if (sow < 0) throw new CommandError(5439016, `$dateTrunc parameter 'startOfWeek' value cannot be recognized as a day of a week: ${String(v)}`);
  }
  const date = toDateArg(raw, '$dateTrunc') as Date;
  const offset = localParts(date, zone).offsetMinutes;
  return new Date(fromLocal(truncLocal(date.getTime() + offset * 60000, unit, binSize, sow), zone));
};

const CALENDAR = ['year', 'month', 'day'] as const;
const ISO = ['isoWeekYear', 'isoWeek', 'isoDayOfWeek'] as const;
const TIME = ['hour', 'minute', 'second', 'millisecond'] as const;

export const $dateFromParts: ExprOp = (obj, expr, options) => {
  if (!isPlainObject(expr)) throw new CommandError(40519, '$dateFromParts only supports an object as its argument');
  for (const k of Object.keys(expr)) {
    if (![...CALENDAR, ...ISO, ...TIME, 'timezone'].includes(k as never)) throw new CommandError(40518, `Unrecognized argument to $dateFromParts: ${k}`);
  }
  const isIso = ISO.some((k) => k in expr);
  if (isIso && CALENDAR.some((k) => k in expr)) throw new CommandError(40489, '$dateFromParts does not allow mixing natural dates with ISO dates');
  if (!isIso && !('year' in expr)) throw new CommandError(40516, "$dateFromParts requires either 'year' or 'isoWeekYear' to be present");
  const part = (name: string, dflt: number): number | null => {
    if (!(name in expr)) return dflt;
    const v = evalExpr(obj, expr[name], options);
    if (v === null || v === undefined) return null;
    const n = numType(v) === null ? NaN : toNumberLoose(v);
    if (!Number.isInteger(n)) throw new CommandError(40515, `'${name}' must evaluate to an integer, found ${bsonType(v)} with value ${String(v)}`);
    return n;
  };
  const names = isIso ? ISO : CALENDAR;
  const values = [part(names[0], 1970), part(names[1], 1), part(names[2], 1), ...TIME.map((t) => part(t, 0))];
  if (values.some((v) => v === null)) return null;
  const [a, b, c, hour, minute, second, ms] = values as number[];
  const zone = zoneOf(obj, expr, options);
  if (zone === null) return null;
  let dayMs: number;
  if (isIso) {
    // ISO week 1 holds January 4th; its Monday starts the week-numbering year.
    const jan4 = Date.UTC(a, 0, 4);
    const mondayOfWeek1 = jan4 - (((new Date(jan4).getUTCDay() + 6) % 7) * DAY);
    dayMs = mondayOfWeek1 + ((b - 1) * 7 + (c - 1)) * DAY;
  } else {
    const first = new Date(Date.UTC(2000, 0, 1));
    first.setUTCFullYear(a, b - 1, c);
    dayMs = first.getTime();
  }
  const local = dayMs + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
  return new Date(fromLocal(local, zone));
};
