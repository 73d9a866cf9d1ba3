/**
 * Normal forms for duplicate control, so that "+7 (495) 123-45-67" and
 * "8 495 1234567", "Info@Acme.RU " and "info@acme.ru", «ООО "Ромашка"» and
 * "Ромашка" compare equal. Pure.
 */
import { tokenize } from '../../search/normalize.ts';

/**
 * Legal-form words that say nothing about which organization is meant
 * (Russian and common international forms); left out of name comparison.
 */
const LEGAL_FORMS = new Set([
  'ооо', 'оао', 'зао', 'пао', 'ао', 'нао', 'ип', 'нко', 'ано', 'гуп', 'муп', 'фгуп', 'фгбу', 'гбу', 'тоо', 'чп',
  'llc', 'ltd', 'limited', 'inc', 'incorporated', 'corp', 'corporation', 'co', 'gmbh', 'ag', 'plc', 'sa', 'sarl', 'bv', 'oy', 'ab', 'as', 'spa', 'srl',
]);

/** Digits only; a Russian trunk prefix 8 becomes the country code 7. Too short to identify anyone: undefined. */
export function normalizePhone(value: string): string | undefined {
  let digits = value.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('8')) digits = `7${digits.slice(1)}`;
  return digits.length >= 6 ? digits : undefined;
}

export function normalizeEmail(value: string): string | undefined {
  const email = value.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(email) ? email : undefined;
}

/** Other identifying texts (tax ids, codes): case, accents, spaces and punctuation ignored. */
export function normalizeCode(value: string): string | undefined {
  const code = tokenize(value).join('');
  return code === '' ? undefined : code;
}

/** The words of a name that identify it: normalized, legal forms left out. */
export function nameTokens(value: string): string[] {
  return tokenize(value).filter((token) => !LEGAL_FORMS.has(token));
}
