/**
 * Arithmetic over BSON numbers with MongoDB's type rules: any Decimal128 operand makes the
 * result Decimal128 (exact); Int64 beyond 2^53 stays exact via BigInt; everything else is a
 * JS number (int32/int64/double all promote to number on the way in).
 */
import { Decimal128, Long } from 'bson';
import {
  addDec, decFromDoubleRounded, decToNumber, decToString, divDec, mulDec, subDec, type Dec,
} from './decimal.ts';
import { bsonType, toDec } from './types.ts';

export type NumKind = 'number' | 'long' | 'decimal';

export function numKind(v: unknown): NumKind | null {
  if (typeof v === 'number') return 'number';
  const t = bsonType(v);
  if (t === 'decimal') return 'decimal';
  if (t === 'long') return 'long';
  if (t === 'int' || t === 'double') return 'number';
  return null;
}

/** Decimal operand as MongoDB converts it: integers exactly, doubles to 15 significant digits. */
function asDecOperand(v: unknown): Dec {
  if (typeof v === 'number') return decFromDoubleRounded(v);
  return toDec(v);
}

export function decimalFromDec(d: Dec): Decimal128 {
  return Decimal128.fromString(decToString(d));
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** An exact integer as MongoDB would hold it: number when safe, Long when within int64, else double. */
export function fromBigInt(b: bigint): unknown {
  if (b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(b);
  if (b >= INT64_MIN && b <= INT64_MAX) return Long.fromBigInt(b);
  return Number(b);
}

function toBigInt(v: unknown): bigint {
  if (typeof v === 'number') return BigInt(v);
  return BigInt((v as Long).toString());
}

type Op = 'add' | 'sub' | 'mul' | 'div';

const DEC_OPS: Record<Op, (a: Dec, b: Dec) => Dec> = { add: addDec, sub: subDec, mul: mulDec, div: divDec };

/** Applies one binary arithmetic operation; both values must be numeric. */
export function arith(op: Op, a: unknown, b: unknown): unknown {
  const ka = numKind(a);
  const kb = numKind(b);
  if (ka === 'number' && kb === 'number') {
    const x = a as number;
    const y = b as number;
    switch (op) {
      case 'add': return x + y;
      case 'sub': return x - y;
      case 'mul': return x * y;
      case 'div': return x / y;
    }
  }
  if (ka === 'decimal' || kb === 'decimal') return decimalFromDec(DEC_OPS[op](asDecOperand(a), asDecOperand(b)));
  // At least one Long: exact integer arithmetic unless the other side is a fractional double.
  const other = ka === 'long' ? b : a;
  if (op === 'div' || (typeof other === 'number' && !Number.isInteger(other))) {
    const x = toNumberLoose(a);
    const y = toNumberLoose(b);
    return op === 'add' ? x + y : op === 'sub' ? x - y : op === 'mul' ? x * y : x / y;
  }
  const x = toBigInt(a);
  const y = toBigInt(b);
  return fromBigInt(op === 'add' ? x + y : op === 'sub' ? x - y : x * y);
}

export function toNumberLoose(v: unknown): number {
  if (typeof v === 'number') return v;
  const k = numKind(v);
  if (k === 'decimal') return decToNumber(toDec(v));
  if (k === 'long') return (v as Long).toNumber();
  return Number(v);
}

/** Sum of numeric values with MongoDB's widening; non-numeric values are ignored. */
export function sumValues(values: unknown[]): unknown {
  let num = 0;
  let dec: Dec | null = null;
  let big: bigint | null = null;
  for (const v of values) {
    const k = numKind(v);
    if (k === 'number') num += v as number;
    else if (k === 'decimal') dec = dec ? addDec(dec, toDec(v)) : toDec(v);
    else if (k === 'long') big = (big ?? 0n) + toBigInt(v);
  }
  if (dec) {
    let total = dec;
    if (big !== null) total = addDec(total, { kind: 'num', coef: big, exp: 0 });
    if (num !== 0) total = addDec(total, decFromDoubleRounded(num));
    return decimalFromDec(total);
  }
  if (big !== null) {
    if (Number.isInteger(num)) return fromBigInt(big + BigInt(num));
    return Number(big) + num;
  }
  return num;
}

export function negate(v: unknown): unknown {
  return arith('sub', 0, v);
}

export function isNumericValue(v: unknown): boolean {
  return numKind(v) !== null;
}
