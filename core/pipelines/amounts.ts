/**
 * Stage sums for boards, exact: money sums come from the database as
 * Decimal128 (summed exactly there) and are weighted by the stage
 * probability in integer arithmetic on their decimal digits, so no binary
 * rounding ever touches an amount. Number fields sum as numbers.
 */
import type { FieldDefinition } from '../metadata/types.ts';
import { DEFAULT_MONEY_SCALE, numberToDecimal } from '../metadata/decimal.ts';

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

interface Scaled {
  digits: bigint;
  scale: number;
}

function parse(text: string): Scaled | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const fraction = match[3] ?? '';
  const digits = BigInt(match[2] + fraction);
  return { digits: match[1] === '-' ? -digits : digits, scale: fraction.length };
}

/** A decimal string with at least `minScale` fraction digits and no trailing zeros beyond them. */
function format(value: Scaled, minScale: number): string {
  const negative = value.digits < 0n;
  let text = (negative ? -value.digits : value.digits).toString().padStart(value.scale + 1, '0');
  let scale = value.scale;
  while (scale > minScale && text.endsWith('0')) {
    text = text.slice(0, -1);
    scale -= 1;
  }
  const whole = scale > 0 ? `${text.slice(0, -scale)}.${text.slice(-scale)}` : text;
  const padded = scale < minScale ? `${whole}${scale === 0 ? '.' : ''}${'0'.repeat(minScale - scale)}` : whole;
  return negative ? `-${padded}` : padded;
}

export type Amount = string | number;

/** A database sum (Decimal128, number, or nothing) in the field's JSON form. */
export function sumToJson(field: FieldDefinition, raw: unknown): Amount {
  if (!isMoney(field)) return typeof raw === 'number' ? raw : Number(raw ?? 0);
  const scale = field.scale ?? DEFAULT_MONEY_SCALE;
  const parsed = parse(raw === null || raw === undefined ? '0' : String(raw));
  return parsed ? format(parsed, scale) : String(raw);
}

/** sum × probability %, exact for money. */
export function weighted(field: FieldDefinition, sum: Amount, probability: number): Amount {
  if (typeof sum === 'number') return (sum * probability) / 100;
  const amount = parse(sum);
  const percent = parse(numberToDecimal(probability) ?? '0');
  if (!amount || !percent) return sum;
  return format({ digits: amount.digits * percent.digits, scale: amount.scale + percent.scale + 2 }, field.scale ?? DEFAULT_MONEY_SCALE);
}

/** Adds two amounts of the same field. */
export function addAmounts(field: FieldDefinition, a: Amount, b: Amount): Amount {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  const x = parse(String(a));
  const y = parse(String(b));
  if (!x || !y) return a;
  const scale = Math.max(x.scale, y.scale);
  const lift = (v: Scaled) => v.digits * 10n ** BigInt(scale - v.scale);
  return format({ digits: lift(x) + lift(y), scale }, field.scale ?? DEFAULT_MONEY_SCALE);
}

function isMoney(field: FieldDefinition): boolean {
  return field.type === 'money' || (field.type === 'computed' && field.resultType === 'money');
}
