/**
 * Exact comparison of decimal strings, for money: values travel as strings
 * ("1234.50") so no binary rounding ever touches them, and their bounds are
 * compared digit by digit rather than through floating point.
 */

export const DEFAULT_MONEY_SCALE = 2;
/** Integer digits a money value may have (Decimal128 keeps 34 significant digits). */
export const MONEY_INTEGER_DIGITS = 18;

/** The pattern a money value of the given scale must match. */
export function moneyPattern(scale: number = DEFAULT_MONEY_SCALE): string {
  const fraction = scale > 0 ? `(\\.[0-9]{1,${scale}})?` : '';
  return `^-?(0|[1-9][0-9]{0,${MONEY_INTEGER_DIGITS - 1}})${fraction}$`;
}

const DECIMAL = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;

/** A finite number as a plain decimal string (no exponent), or undefined. */
export function numberToDecimal(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  if (Math.abs(n) >= 1e21) return BigInt(Math.trunc(n)).toString();
  // toFixed(20) is exact for the binary value; trim the noise-free trailing zeros
  const fixed = n.toFixed(20).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

/** -1, 0 or 1 as decimal `a` is below, equal to or above `b`; undefined when either is not a decimal. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 | undefined {
  const x = DECIMAL.exec(a);
  const y = DECIMAL.exec(b);
  if (!x || !y) return undefined;
  const scale = Math.max(x[3]?.length ?? 0, y[3]?.length ?? 0);
  const scaled = (m: RegExpExecArray) => {
    const digits = BigInt(m[2] + (m[3] ?? '').padEnd(scale, '0'));
    return m[1] === '-' ? -digits : digits;
  };
  const d = scaled(x) - scaled(y);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}
