/**
 * Arithmetic over BSON numbers with MongoDB's result types: int op int → int (long on
 * overflow), long → long (double on overflow), any double → double, any Decimal128 →
 * Decimal128 (exact, doubles converted with 15 significant digits). Results are built in
 * the engine's value form (see codec.ts): a double that looks like an int32 is wrapped.
 */
import { Decimal128, Double, Long } from 'bson';
import { needsDoubleWrapper } from './codec.ts';
import {
  addDec, decFromDoubleRounded, decToNumber, decToString, divDec, mulDec, subDec, type Dec,
} from './decimal.ts';
import { bsonType, toDec } from './types.ts';

export type NumType = 'int' | 'long' | 'double' | 'decimal';
/** Coarse kind kept for callers that only care about exactness. */
export type NumKind = 'number' | 'long' | 'decimal';

const RANK: Record<NumType, number> = { int: 0, long: 1, double: 2, decimal: 3 };
const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function numType(v: unknown): NumType | null {
  if (typeof v === 'number') return needsDoubleWrapper(v) ? 'int' : 'double';
  const t = bsonType(v);
  return t === 'int' || t === 'long' || t === 'double' || t === 'decimal' ? t : null;
}

export function numKind(v: unknown): NumKind | null {
  const t = numType(v);
  if (t === null) return null;
  return t === 'int' || t === 'double' ? 'number' : t;
}

export function isNumericValue(v: unknown): boolean {
  return numType(v) !== null;
}

export function decimalFromDec(d: Dec): Decimal128 {
  return Decimal128.fromString(decToString(d));
}

/** A double result in engine form. */
export function makeDouble(x: number): unknown {
  return needsDoubleWrapper(x) ? new Double(x) : x;
}

/** An int64 result: Long, or double when it overflows. */
export function makeLong(b: bigint): unknown {
  return b >= INT64_MIN && b <= INT64_MAX ? Long.fromBigInt(b) : makeDouble(Number(b));
}

/** An int32 result: number, widened to long when it overflows. */
export function makeInt(b: bigint): unknown {
  return b >= INT32_MIN && b <= INT32_MAX ? Number(b) : makeLong(b);
}

export function toNumberLoose(v: unknown): number {
  if (typeof v === 'number') return v;
  const t = numType(v);
  if (t === 'decimal') return decToNumber(toDec(v));
  if (t === 'long') return (v as Long).toNumber();
  return Number((v as { valueOf(): unknown }).valueOf());
}

function toBigInt(v: unknown): bigint {
  if (typeof v === 'number') return BigInt(v);
  if (numType(v) === 'long') return BigInt((v as Long).toString());
  return BigInt(toNumberLoose(v));
}

/** Decimal operand as MongoDB converts it: integers exactly, doubles to 15 significant digits. */
function asDecOperand(v: unknown): Dec {
  return numType(v) === 'double' ? decFromDoubleRounded(toNumberLoose(v)) : toDec(v);
}

type Op = 'add' | 'sub' | 'mul' | 'div';
const DEC_OPS: Record<Op, (a: Dec, b: Dec) => Dec> = { add: addDec, sub: subDec, mul: mulDec, div: divDec };

function widest(a: NumType, b: NumType): NumType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** One binary operation on numeric values (both must be numeric). `div` yields double unless decimal. */
export function arith(op: Op, a: unknown, b: unknown): unknown {
  const ta = numType(a) as NumType;
  const tb = numType(b) as NumType;
  const t = widest(ta, tb);
  if (t === 'decimal') return decimalFromDec(DEC_OPS[op](asDecOperand(a), asDecOperand(b)));
  if (t === 'double' || op === 'div') {
    const x = toNumberLoose(a);
    const y = toNumberLoose(b);
    return makeDouble(op === 'add' ? x + y : op === 'sub' ? x - y : op === 'mul' ? x * y : x / y);
  }
  const x = toBigInt(a);
  const y = toBigInt(b);
  const r = op === 'add' ? x + y : op === 'sub' ? x - y : x * y;
  return t === 'long' ? makeLong(r) : makeInt(r);
}

/** Sum with MongoDB's widening ($sum): non-numeric values are ignored. */
export function sumValues(values: unknown[]): unknown {
  let type: NumType = 'int';
  let exact = 0n;
  let float = 0;
  let dec: Dec | null = null;
  let isFloat = false;
  for (const v of values) {
    const t = numType(v);
    if (t === null) continue;
    type = widest(type, t);
    if (t === 'decimal') dec = dec ? addDec(dec, toDec(v)) : toDec(v);
    else if (t === 'double') {
      float += toNumberLoose(v);
      isFloat = true;
    } else exact += toBigInt(v);
  }
  if (type === 'decimal') {
    let total = dec as Dec;
    if (exact !== 0n) total = addDec(total, { kind: 'num', coef: exact, exp: 0 });
    if (isFloat) total = addDec(total, decFromDoubleRounded(float));
    return decimalFromDec(total);
  }
  if (type === 'double') return makeDouble(Number(exact) + float);
  return type === 'long' ? makeLong(exact) : makeInt(exact);
}
