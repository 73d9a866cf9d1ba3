/**
 * Russian registration numbers, the `inn`, `kpp` and `ogrn` formats of text
 * fields: what is wrong with a value, in words, or undefined when it is valid.
 * Pure, no dependencies (the UI's form checks import it too).
 *
 * - INN (taxpayer number): 10 digits for an organisation, 12 for an
 *   individual or sole proprietor; the last digit (10) or the last two (12)
 *   are check digits: Σ digit × weight, mod 11, mod 10.
 * - KPP (registration reason code): 4 digits, 2 digits or capital Latin
 *   letters, 3 digits. It has no check digit.
 * - OGRN (state registration number): 13 digits for an organisation, whose
 *   last digit is (the first 12 as a number mod 11) mod 10; OGRNIP, 15
 *   digits for a sole proprietor: (the first 14 mod 13) mod 10. Those
 *   numbers exceed 2^53, so the remainder is taken digit by digit.
 */
export const RUSSIAN_ID_FORMATS = ['inn', 'kpp', 'ogrn'] as const;
export type RussianIdFormat = (typeof RUSSIAN_ID_FORMATS)[number];

const INN_10_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_12_FIRST_WEIGHTS = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_12_SECOND_WEIGHTS = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

const DIGITS = /^[0-9]+$/;
const KPP = /^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$/;

/** The check digit of the leading digits of `value` under `weights`. */
function innCheckDigit(value: string, weights: readonly number[]): number {
  const sum = weights.reduce((total, weight, i) => total + weight * Number(value[i]), 0);
  return (sum % 11) % 10;
}

/** `digits` (a decimal string of any length) mod `divisor`, exactly. */
function remainder(digits: string, divisor: number): number {
  let rest = 0;
  for (const digit of digits) rest = (rest * 10 + Number(digit)) % divisor;
  return rest;
}

function onlyDigits(value: string): string | undefined {
  return DIGITS.test(value) ? undefined : 'only the digits 0-9 are allowed';
}

export function innProblem(value: string): string | undefined {
  const notDigits = onlyDigits(value);
  if (notDigits) return notDigits;
  if (value.length === 10) {
    return innCheckDigit(value, INN_10_WEIGHTS) === Number(value[9]) ? undefined : 'the check digit does not match';
  }
  if (value.length === 12) {
    const isValid = innCheckDigit(value, INN_12_FIRST_WEIGHTS) === Number(value[10]) && innCheckDigit(value, INN_12_SECOND_WEIGHTS) === Number(value[11]);
    return isValid ? undefined : 'the check digits do not match';
  }
  return `it has 10 digits for an organisation or 12 for an individual, not ${value.length}`;
}

export function kppProblem(value: string): string | undefined {
  if (value.length !== 9) return `it has 9 characters, not ${value.length}`;
  return KPP.test(value) ? undefined : '4 digits, then 2 digits or capital Latin letters, then 3 digits';
}

export function ogrnProblem(value: string): string | undefined {
  const notDigits = onlyDigits(value);
  if (notDigits) return notDigits;
  const divisor = value.length === 13 ? 11 : value.length === 15 ? 13 : undefined;
  if (divisor === undefined) return `it has 13 digits for an organisation (OGRN) or 15 for a sole proprietor (OGRNIP), not ${value.length}`;
  const check = remainder(value.slice(0, -1), divisor) % 10;
  return check === Number(value.at(-1)) ? undefined : 'the check digit does not match';
}

const CHECKS: Record<RussianIdFormat, { name: string; problem: (value: string) => string | undefined }> = {
  inn: { name: 'INN', problem: innProblem },
  kpp: { name: 'KPP', problem: kppProblem },
  ogrn: { name: 'OGRN', problem: ogrnProblem },
};

export function isRussianIdFormat(format: string): format is RussianIdFormat {
  return Object.hasOwn(CHECKS, format);
}

export function isValidRussianId(format: RussianIdFormat, value: string): boolean {
  return CHECKS[format].problem(value) === undefined;
}

/** The message for a value that failed `format`, e.g. "must be a valid INN: the check digit does not match". */
export function russianIdMessage(format: RussianIdFormat, value: unknown): string {
  const { name, problem } = CHECKS[format];
  const reason = typeof value === 'string' ? problem(value) : undefined;
  return reason ? `must be a valid ${name}: ${reason}` : `must be a valid ${name}`;
}
