/**
 * The UI language (ru or en, remembered in localStorage, defaulting to the
 * browser's), `t()` for the UI's own strings and `loc()` for metadata labels.
 */
import { signal } from '@preact/signals';
import { en, ru, type StringKey } from './strings.ts';

export type Locale = 'en' | 'ru';
export type LocalizedText = { en: string } & Partial<Record<Locale, string>>;

const STORAGE_KEY = 'relata.locale';

function initialLocale(): Locale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'ru') return stored;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export const locale = signal<Locale>(initialLocale());

export function setLocale(next: Locale): void {
  localStorage.setItem(STORAGE_KEY, next);
  locale.value = next;
  document.documentElement.lang = next;
}

const TABLES: Record<Locale, Record<StringKey, string>> = { en, ru };

export function t(key: StringKey, vars: Record<string, string | number> = {}): string {
  const text = TABLES[locale.value][key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function loc(text: LocalizedText | undefined, fallback = ''): string {
  if (!text) return fallback;
  return text[locale.value] ?? text.en ?? fallback;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  const key = `${locale.value}${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(locale.value, options)));
  return format.format(value);
}

export function formatDate(iso: string, withTime: boolean): string {
  const date = new Date(withTime ? iso : `${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale.value, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium', timeZone: 'UTC' });
}
