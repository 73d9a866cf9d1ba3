/**
 * Date expression operators with MongoDB's semantics, replacing mingo's: any Olson zone or
 * UTC offset, Sunday-based `$week`, ISO week parts, `$dateToString`/`$dateFromString`
 * specifiers, month arithmetic that clamps to the month's end, and `$dateDiff` counting
 * unit boundaries (as a Long).
 */
import { Long, ObjectId, Timestamp } from 'bson';
import { evalExpr } from 'mingo/core';
import type { Options } from 'mingo/types';
import { CommandError } from '../../errors.ts';
import { makeLong, numType, toNumberLoose } from '../../bson/numeric.ts';
import { bsonType, isPlainObject } from '../../bson/types.ts';
import { DEFAULT_FORMAT, formatDate, parseDate } from './format.ts';
import { $dateFromParts, $dateTrunc } from './parts.ts';
import { fromLocal, isoWeekParts, localParts, parseZone, sundayWeek, toDateArg, type LocalParts, type Zone } from './zone.ts';

type Obj = Record<string, unknown>;
type ExprOp = (obj: Obj, expr: unknown, options: Options) => unknown;

const DAY = 86400000;

function checkFields(op: string, spec: Obj, allowed: string[], required: string[]): void {
  for (const k of Object.keys(spec)) if (!allowed.includes(k)) throw new CommandError(40535, `Unrecognized argument to ${op}: ${k}`);
  for (const k of required) if (!(k in spec)) throw new CommandError(40539, `Missing '${k}' parameter to ${op}`);
}

/** `$year`-style operators: `<date>`, `[<date>]` or `{date, timezone}`. */
function partOp(op: string, pick: (p: LocalParts) => number): ExprOp {
  return (obj, expr, options) => {
    let dateExpr = Array.isArray(expr) && expr.length === 1 ? expr[0] : expr;
    let zone = parseZone(undefined);
    if (isPlainObject(dateExpr) && 'date' in dateExpr) {
      checkFields(op, dateExpr, ['date', 'timezone'], ['date']);
      const tz = evalExpr(obj, dateExpr.timezone, options);
      if (dateExpr.timezone !== undefined && (tz === null || tz === undefined)) return null;
      zone = parseZone(tz);
      dateExpr = dateExpr.date;
    }
    const date = toDateArg(evalExpr(obj, dateExpr, options), op);
    return date === null ? null : pick(localParts(date, zone));
  };
}

function evalZone(obj: Obj, spec: Obj, options: Options): Zone | null {
  if (spec.timezone === undefined) return parseZone(undefined);
  const tz = evalExpr(obj, spec.timezone, options);
  return tz === null || tz === undefined ? null : parseZone(tz);
}

function specOf(op: string, expr: unknown): Obj {
  if (!isPlainObject(expr)) throw new CommandError(18629, `${op} only supports an object as its argument`);
  return expr;
}

const $dateToString: ExprOp = (obj, expr, options) => {
  const spec = specOf('$dateToString', expr);
  checkFields('$dateToString', spec, ['date', 'format', 'timezone', 'onNull'], ['date']);
  const raw = evalExpr(obj, spec.date, options);
  if (raw === null || raw === undefined) return 'onNull' in spec ? evalExpr(obj, spec.onNull, options) : null;
  const format = spec.format === undefined ? DEFAULT_FORMAT : evalExpr(obj, spec.format, options);
  if (format === null || format === undefined) return null;
  if (typeof format !== 'string') throw new CommandError(18533, `$dateToString requires that 'format' be a string, found: ${bsonType(format)}`);
  const zone = evalZone(obj, spec, options);
  if (zone === null) return null;
  return formatDate(toDateArg(raw, '$dateToString') as Date, format, zone);
};

const $dateFromString: ExprOp = (obj, expr, options) => {
  const spec = specOf('$dateFromString', expr);
  checkFields('$dateFromString', spec, ['dateString', 'format', 'timezone', 'onError', 'onNull'], ['dateString']);
  const s = evalExpr(obj, spec.dateString, options);
  const hasOnError = 'onError' in spec;
  if (s === null || s === undefined) return 'onNull' in spec ? evalExpr(obj, spec.onNull, options) : null;
  const format = spec.format === undefined ? undefined : evalExpr(obj, spec.format, options);
  if (format === null) return null;
  if (format !== undefined && typeof format !== 'string') throw new CommandError(40684, `$dateFromString requires that 'format' be a string, found: ${bsonType(format)}`);
  const zone = evalZone(obj, spec, options);
  if (zone === null) return null;
  try {
    if (typeof s !== 'string') throw new CommandError(241, `$dateFromString requires that 'dateString' be a string, found: ${bsonType(s)} with value ${String(s)}`);
    return parseDate(s, format, zone);
  } catch (error) {
    if (hasOnError && error instanceof CommandError && error.code === 241) return evalExpr(obj, spec.onError, options);
    throw error;
  }
};

const UNITS = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', 'millisecond'] as const;
type Unit = (typeof UNITS)[number];
const FIXED_MS: Partial<Record<Unit, number>> = { hour: 3600000, minute: 60000, second: 1000, millisecond: 1 };

function unitOf(v: unknown, op: string): Unit {
  if (typeof v !== 'string' || !(UNITS as readonly string[]).includes(v)) throw new CommandError(9, `${op} unknown time unit value: ${String(v)}`);
  return v as Unit;
}

function addUnits(date: Date, unit: Unit, amount: number, zone: Zone): Date {
  const fixed = FIXED_MS[unit];
  if (fixed) return new Date(date.getTime() + amount * fixed);
  const p = localParts(date, zone);
  const localMs = date.getTime() + p.offsetMinutes * 60000;
  if (unit === 'day' || unit === 'week') return new Date(fromLocal(localMs + amount * (unit === 'week' ? 7 : 1) * DAY, zone));
  const months = p.year * 12 + (p.month - 1) + amount * (unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1);
  const year = Math.floor(months / 12);
  const month = months - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const local = Date.UTC(year, month, Math.min(p.day, lastDay), p.hour, p.minute, p.second, p.millisecond);
  return new Date(fromLocal(local, zone));
}

function dateArith(op: '$dateAdd' | '$dateSubtract', sign: 1 | -1): ExprOp {
  return (obj, expr, options) => {
    const spec = specOf(op, expr);
    checkFields(op, spec, ['startDate', 'unit', 'amount', 'timezone'], ['startDate', 'unit', 'amount']);
    const start = evalExpr(obj, spec.startDate, options);
    const unit = evalExpr(obj, spec.unit, options);
    const amount = evalExpr(obj, spec.amount, options);
    if ([start, unit, amount].some((v) => v === null || v === undefined)) return null;
    const zone = evalZone(obj, spec, options);
    if (zone === null) return null;
    const n = numType(amount) === null ? NaN : toNumberLoose(amount);
    if (!Number.isInteger(n)) throw new CommandError(5166402, `${op} expects integer amount of time units, found: ${String(amount)}`);
    return addUnits(toDateArg(start, op) as Date, unitOf(unit, op), sign * n, zone);
  };
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function weekdayIndex(v: unknown): number {
  if (v === undefined || v === null) return 0;
  const s = typeof v === 'string' ? v.toLowerCase() : '';
  const i = WEEKDAYS.findIndex((d) => d === s || d.slice(0, 3) === s);
  if (i < 0) throw new CommandError(5439015, `$dateDiff parameter 'startOfWeek' value cannot be recognized as a day of a week: ${String(v)}`);
  return i;
}

function boundaries(start: Date, end: Date, unit: Unit, zone: Zone, startOfWeek: number): number {
  const s = localParts(start, zone);
  const e = localParts(end, zone);
  const sLocal = start.getTime() + s.offsetMinutes * 60000;
  const eLocal = end.getTime() + e.offsetMinutes * 60000;
  switch (unit) {
    case 'year': return e.year - s.year;
    case 'quarter': return e.year * 4 + Math.floor((e.month - 1) / 3) - (s.year * 4 + Math.floor((s.month - 1) / 3));
    case 'month': return e.year * 12 + e.month - (s.year * 12 + s.month);
    case 'week': {
      const weekStart = (local: number, weekday: number): number => Math.floor(local / DAY) - ((weekday - startOfWeek + 7) % 7);
      return (weekStart(eLocal, e.weekday) - weekStart(sLocal, s.weekday)) / 7;
    }
    case 'day': return Math.floor(eLocal / DAY) - Math.floor(sLocal / DAY);
    default: {
      const ms = FIXED_MS[unit] as number;
      return Math.floor(eLocal / ms) - Math.floor(sLocal / ms);
    }
  }
}

const $dateDiff: ExprOp = (obj, expr, options) => {
  const spec = specOf('$dateDiff', expr);
  checkFields('$dateDiff', spec, ['startDate', 'endDate', 'unit', 'timezone', 'startOfWeek'], ['startDate', 'endDate', 'unit']);
  const start = evalExpr(obj, spec.startDate, options);
  const end = evalExpr(obj, spec.endDate, options);
  const unit = evalExpr(obj, spec.unit, options);
  if ([start, end, unit].some((v) => v === null || v === undefined)) return null;
  const zone = evalZone(obj, spec, options);
  if (zone === null) return null;
  const u = unitOf(unit, '$dateDiff');
  const sow = u === 'week' ? weekdayIndex(evalExpr(obj, spec.startOfWeek, options)) : 0;
  return makeLong(BigInt(boundaries(toDateArg(start, '$dateDiff') as Date, toDateArg(end, '$dateDiff') as Date, u, zone, sow)));
};

const $dateToParts: ExprOp = (obj, expr, options) => {
  const spec = specOf('$dateToParts', expr);
  checkFields('$dateToParts', spec, ['date', 'timezone', 'iso8601'], ['date']);
  const date = toDateArg(evalExpr(obj, spec.date, options), '$dateToParts');
  const zone = evalZone(obj, spec, options);
  if (date === null || zone === null) return null;
  const p = localParts(date, zone);
  const time = { hour: p.hour, minute: p.minute, second: p.second, millisecond: p.millisecond };
  if (evalExpr(obj, spec.iso8601, options) === true) return { ...isoWeekParts(p), ...time };
  return { year: p.year, month: p.month, day: p.day, ...time };
};

/** `$toDate`: Date, ObjectId, Timestamp, ISO strings, and double/long/decimal milliseconds. */
const $toDate: ExprOp = (obj, expr, options) => {
  const v = evalExpr(obj, Array.isArray(expr) && expr.length === 1 ? expr[0] : expr, options);
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (v instanceof ObjectId) return v.getTimestamp();
  if (v instanceof Timestamp) return new Date(v.getHighBitsUnsigned() * 1000);
  if (typeof v === 'string') return parseDate(v, undefined, parseZone(undefined));
  const t = numType(v);
  if (t === 'double' || t === 'long' || t === 'decimal' || v instanceof Long) return new Date(Math.trunc(toNumberLoose(v)));
  throw new CommandError(241, `Unsupported conversion from ${bsonType(v)} to date in $convert with no onError value`);
};

export const DATE_OPERATORS: Record<string, ExprOp> = {
  $year: partOp('$year', (p) => p.year),
  $month: partOp('$month', (p) => p.month),
  $dayOfMonth: partOp('$dayOfMonth', (p) => p.day),
  $hour: partOp('$hour', (p) => p.hour),
  $minute: partOp('$minute', (p) => p.minute),
  $second: partOp('$second', (p) => p.second),
  $millisecond: partOp('$millisecond', (p) => p.millisecond),
  $dayOfYear: partOp('$dayOfYear', (p) => p.dayOfYear),
  $dayOfWeek: partOp('$dayOfWeek', (p) => p.weekday + 1),
  $week: partOp('$week', sundayWeek),
  $isoWeek: partOp('$isoWeek', (p) => isoWeekParts(p).isoWeek),
  $isoWeekYear: partOp('$isoWeekYear', (p) => isoWeekParts(p).isoWeekYear),
  $isoDayOfWeek: partOp('$isoDayOfWeek', (p) => isoWeekParts(p).isoDayOfWeek),
  $dateToString,
  $dateFromString,
  $dateAdd: dateArith('$dateAdd', 1),
  $dateSubtract: dateArith('$dateSubtract', -1),
  $dateDiff,
  $dateToParts,
  $dateFromParts,
  $dateTrunc,
  $toDate,
};
