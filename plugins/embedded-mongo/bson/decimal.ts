/**
 * Exact decimal numbers (coefficient × 10^exponent) for Decimal128 and Int64 values,
 * so that comparisons and sums across numeric BSON types stay exact as in MongoDB.
 * Arithmetic rounds to 34 significant digits (half-even), as IEEE 754 decimal128 does.
 */

export interface Dec {
  /** 'num' finite, 'nan', 'inf' (+∞) or '-inf'. */
  readonly kind: 'num' | 'nan' | 'inf' | '-inf';
  /** Signed coefficient; for zero the sign lives in `negZero`. */
  readonly coef: bigint;
  readonly exp: number;
}

const PRECISION = 34;
const NAN: Dec = { kind: 'nan', coef: 0n, exp: 0 };
const POS_INF: Dec = { kind: 'inf', coef: 0n, exp: 0 };
const NEG_INF: Dec = { kind: '-inf', coef: 0n, exp: 0 };
const TEN = 10n;

const pow10Cache: bigint[] = [1n];
export function pow10(n: number): bigint {
  if (n < 256) {
    for (let i = pow10Cache.length; i <= n; i++) pow10Cache[i] = pow10Cache[i - 1] * TEN;
    return pow10Cache[n];
  }
  return TEN ** BigInt(n);
}

export function digitCount(c: bigint): number {
  const s = c < 0n ? -c : c;
  return s === 0n ? 1 : s.toString().length;
}

export function decOf(coef: bigint, exp: number): Dec {
  return { kind: 'num', coef, exp };
}

/** Parses the string forms Decimal128.toString() and users produce ("1.50", "-2E+3", "NaN", "Infinity"). */
export function parseDec(text: string): Dec {
  const s = text.trim();
  if (/^[+-]?nan$/i.test(s)) return NAN;
  if (/^\+?inf(inity)?$/i.test(s)) return POS_INF;
  if (/^-inf(inity)?$/i.test(s)) return NEG_INF;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`invalid decimal string: ${text}`);
  const intPart = m[2];
  const frac = m[3] ?? '';
  const exp = (m[4] ? parseInt(m[4], 10) : 0) - frac.length;
  let coef = BigInt((intPart + frac) || '0');
  if (m[1] === '-') coef = -coef;
  return { kind: 'num', coef, exp };
}

/** Exact value of a finite double (every binary fraction is a finite decimal). */
export function decFromDoubleExact(x: number): Dec {
  if (Number.isNaN(x)) return NAN;
  if (x === Infinity) return POS_INF;
  if (x === -Infinity) return NEG_INF;
  if (Number.isSafeInteger(x)) return { kind: 'num', coef: BigInt(x), exp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  let coef: bigint;
  let exp: number;
  if (e2 >= 0) {
    coef = mant << BigInt(e2);
    exp = 0;
  } else {
    // m·2^e = m·5^(−e)·10^e
    coef = mant * 5n ** BigInt(-e2);
    exp = e2;
  }
  return normalize({ kind: 'num', coef: negative ? -coef : coef, exp });
}

/** A double as MongoDB converts it into a decimal for arithmetic: 15 significant digits. */
export function decFromDoubleRounded(x: number): Dec {
  if (!Number.isFinite(x)) return decFromDoubleExact(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return { kind: 'num', coef: BigInt(x), exp: 0 };
  return parseDec(x.toExponential(14));
}

/** Strips trailing zeros of the coefficient (canonical form for comparison and hashing). */
export function normalize(d: Dec): Dec {
  if (d.kind !== 'num') return d;
  if (d.coef === 0n) return { kind: 'num', coef: 0n, exp: 0 };
  let { coef, exp } = d;
  while (coef % TEN === 0n) {
    coef /= TEN;
    exp++;
  }
  return { kind: 'num', coef, exp };
}

function sign(d: Dec): number {
  if (d.kind === 'inf') return 1;
  if (d.kind === '-inf') return -1;
  return d.coef > 0n ? 1 : d.coef < 0n ? -1 : 0;
}

/** Total order used by MongoDB for numbers: NaN lowest, then −∞ … +∞. */
export function compareDec(a: Dec, b: Dec): number {
  if (a.kind === 'nan' || b.kind === 'nan') return a.kind === b.kind ? 0 : a.kind === 'nan' ? -1 : 1;
  const sa = sign(a);
  const sb = sign(b);
  if (a.kind !== 'num' || b.kind !== 'num') {
    const ra = a.kind === 'inf' ? 2 : a.kind === '-inf' ? -2 : sa;
    const rb = b.kind === 'inf' ? 2 : b.kind === '-inf' ? -2 : sb;
    return ra === rb ? 0 : ra < rb ? -1 : 1;
  }
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  // Same sign, non-zero: compare magnitudes by adjusted exponent first to avoid huge powers.
  const adjA = a.exp + digitCount(a.coef) - 1;
  const adjB = b.exp + digitCount(b.coef) - 1;
  if (adjA !== adjB) return (adjA < adjB ? -1 : 1) * sa;
  const e = Math.min(a.exp, b.exp);
  const ca = a.coef * pow10(a.exp - e);
  const cb = b.coef * pow10(b.exp - e);
  return ca === cb ? 0 : ca < cb ? -1 : 1;
}

function roundHalfEven(coef: bigint, drop: number): bigint {
  if (drop <= 0) return coef;
  const div = pow10(drop);
  const negative = coef < 0n;
  const mag = negative ? -coef : coef;
  let q = mag / div;
  const r = mag % div;
  const twice = r * 2n;
  if (twice > div || (twice === div && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

/** Rounds to 34 significant digits. */
export function roundToPrecision(d: Dec): Dec {
  if (d.kind !== 'num') return d;
  const digits = digitCount(d.coef);
  if (digits <= PRECISION) return d;
  const drop = digits - PRECISION;
  let coef = roundHalfEven(d.coef, drop);
  let exp = d.exp + drop;
  if (digitCount(coef) > PRECISION) {
    coef = roundHalfEven(coef, 1);
    exp += 1;
  }
  return { kind: 'num', coef, exp };
}

function specialSum(a: Dec, b: Dec): Dec | null {
  if (a.kind === 'nan' || b.kind === 'nan') return NAN;
  if (a.kind === 'num' && b.kind === 'num') return null;
  if (a.kind !== 'num' && b.kind !== 'num' && a.kind !== b.kind) return NAN;
  return a.kind !== 'num' ? a : b;
}

export function addDec(a: Dec, b: Dec): Dec {
  const special = specialSum(a, b);
  if (special) return special;
  const e = Math.min(a.exp, b.exp);
  return roundToPrecision({ kind: 'num', coef: a.coef * pow10(a.exp - e) + b.coef * pow10(b.exp - e), exp: e });
}

export function negDec(a: Dec): Dec {
  if (a.kind === 'inf') return NEG_INF;
  if (a.kind === '-inf') return POS_INF;
  return { kind: a.kind, coef: -a.coef, exp: a.exp };
}

export function subDec(a: Dec, b: Dec): Dec {
  return addDec(a, negDec(b));
}

export function mulDec(a: Dec, b: Dec): Dec {
  if (a.kind === 'nan' || b.kind === 'nan') return NAN;
  if (a.kind !== 'num' || b.kind !== 'num') {
    const s = sign(a) * sign(b);
    return s === 0 ? NAN : s > 0 ? POS_INF : NEG_INF;
  }
  return roundToPrecision({ kind: 'num', coef: a.coef * b.coef, exp: a.exp + b.exp });
}

export function divDec(a: Dec, b: Dec): Dec {
  if (a.kind === 'nan' || b.kind === 'nan') return NAN;
  if (a.kind !== 'num' && b.kind !== 'num') return NAN;
  if (a.kind !== 'num') return sign(a) * sign(b) >= 0 ? POS_INF : NEG_INF;
  if (b.kind !== 'num') return { kind: 'num', coef: 0n, exp: 0 };
  if (b.coef === 0n) {
    if (a.coef === 0n) return NAN;
    return (a.coef > 0n) === (b.coef > 0n) ? POS_INF : NEG_INF;
  }
  const ideal = a.exp - b.exp;
  if (a.coef === 0n) return { kind: 'num', coef: 0n, exp: ideal };
  // Scale the dividend so the quotient carries PRECISION + 1 digits, then round.
  const shift = Math.max(0, PRECISION + 1 + digitCount(b.coef) - digitCount(a.coef));
  const num = a.coef * pow10(shift);
  let q = num / b.coef;
  const exact = q * b.coef === num;
  let exp = ideal - shift;
  if (!exact) {
    // A sticky digit keeps half-even rounding honest for the discarded remainder.
    q = q * TEN + (q < 0n || (q === 0n && (a.coef < 0n) !== (b.coef < 0n)) ? -1n : 1n);
    exp -= 1;
  }
  let out = roundToPrecision({ kind: 'num', coef: q, exp });
  if (exact) {
    // Exact quotients use the preferred exponent: strip zeros down to the ideal exponent.
    let { coef, exp: e } = out;
    while (e < ideal && coef % TEN === 0n) {
      coef /= TEN;
      e++;
    }
    out = { kind: 'num', coef, exp: e };
  }
  return out;
}

export function isZeroDec(d: Dec): boolean {
  return d.kind === 'num' && d.coef === 0n;
}

/** Scientific string that Decimal128.fromString accepts and that keeps the exponent ("310E-2" → 3.10). */
export function decToString(d: Dec): string {
  if (d.kind === 'nan') return 'NaN';
  if (d.kind === 'inf') return 'Infinity';
  if (d.kind === '-inf') return '-Infinity';
  return `${d.coef}E${d.exp}`;
}

/** Plain canonical text ("0.1", "-25", "1E+400" style avoided for typical sizes) used in keys. */
export function decToCanonical(d: Dec): string {
  const n = normalize(d);
  if (n.kind !== 'num') return decToString(n);
  return `${n.coef}e${n.exp}`;
}

export function decToNumber(d: Dec): number {
  if (d.kind === 'nan') return NaN;
  if (d.kind === 'inf') return Infinity;
  if (d.kind === '-inf') return -Infinity;
  return Number(`${d.coef}e${d.exp}`);
}

/** Integer part (toward zero) when the value is integral, else null. */
export function decToBigIntIfIntegral(d: Dec): bigint | null {
  if (d.kind !== 'num') return null;
  if (d.exp >= 0) return d.coef * pow10(d.exp);
  const div = pow10(-d.exp);
  return d.coef % div === 0n ? d.coef / div : null;
}

export { NAN as DEC_NAN, POS_INF as DEC_POS_INF, NEG_INF as DEC_NEG_INF };
