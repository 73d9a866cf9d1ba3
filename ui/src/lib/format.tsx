/**
 * How a field's value is shown in lists, cards and record pages, one
 * renderer per field type (a new type without one is a compile error).
 */
import type { FieldDefinition, FieldType } from '../../../core/metadata/types.ts';
import { formatDate, formatNumber, loc, t } from './i18n.ts';
import { entityByName, titleOf } from './meta.ts';
import type { JSX } from 'preact';

type Renderer = (field: FieldDefinition, value: unknown) => JSX.Element | string;

function optionChip(field: FieldDefinition, value: unknown): JSX.Element | string {
  const option = field.options?.find((o) => o.value === value);
  if (!option) return String(value);
  return (
    <span class="chip">
      {option.color && <span class="dot" style={{ background: option.color }} />}
      {loc(option.label, option.value)}
    </span>
  );
}

function referenceText(field: FieldDefinition, value: unknown): JSX.Element | string {
  if (typeof value === 'object' && value !== null && typeof (value as { _id?: unknown })._id === 'string') {
    const record = value as Record<string, unknown>;
    const target = entityByName(field.entity ?? '');
    return target ? <a href={`/e/${target.name}/${String(record._id)}`}>{titleOf(target, record)}</a> : titleOf(target, record);
  }
  return typeof value === 'string' ? `#${value.slice(-6)}` : String(value);
}

const RENDERERS: Record<FieldType, Renderer> = {
  text: (_f, v) => String(v),
  longtext: (_f, v) => String(v),
  email: (_f, v) => <a href={`mailto:${String(v)}`}>{String(v)}</a>,
  phone: (_f, v) => <a href={`tel:${String(v).replace(/[^0-9+]/g, '')}`}>{String(v)}</a>,
  url: (_f, v) => (/^https?:\/\//i.test(String(v)) ? <a href={String(v)} target="_blank" rel="noopener noreferrer">{String(v)}</a> : String(v)),
  number: (_f, v) => (typeof v === 'number' ? formatNumber(v) : String(v)),
  integer: (_f, v) => (typeof v === 'number' ? formatNumber(v) : String(v)),
  money: (f, v) => {
    const n = Number(v);
    if (!Number.isFinite(n)) return String(v);
    return f.currency ? formatNumber(n, { style: 'currency', currency: f.currency }) : formatNumber(n, { minimumFractionDigits: f.scale ?? 2, maximumFractionDigits: f.scale ?? 2 });
  },
  boolean: (_f, v) => (v ? t('yes') : t('no')),
  date: (_f, v) => formatDate(String(v), false),
  datetime: (_f, v) => formatDate(String(v), true),
  enum: optionChip,
  multienum: (f, v) => (Array.isArray(v) ? <span>{v.map((item) => optionChip(f, item))}</span> : String(v)),
  reference: referenceText,
  references: (f, v) => (Array.isArray(v) ? <span>{v.map((item, i) => <span key={i}>{i > 0 && ', '}{referenceText(f, item)}</span>)}</span> : String(v)),
  computed: (f, v) => (f.resultType ? RENDERERS[f.resultType]({ ...f, type: f.resultType }, v) : String(v)),
  json: (_f, v) => (Array.isArray(v) ? v.join(', ') : JSON.stringify(v)),
};

export function renderValue(field: FieldDefinition, value: unknown): JSX.Element | string {
  if (value === null || value === undefined || value === '') return '';
  return RENDERERS[field.type](field, value);
}

/** Plain text of a value, for CSV export and titles. */
export function valueText(field: FieldDefinition, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (field.type === 'enum') return loc(field.options?.find((o) => o.value === value)?.label, String(value));
  if (typeof value === 'object' && value !== null && '_id' in value) return titleOf(entityByName(field.entity ?? ''), value as Record<string, unknown>);
  if (Array.isArray(value)) return value.map((item) => valueText({ ...field, type: field.type === 'references' ? 'reference' : 'enum' }, item)).join('; ');
  return String(value);
}

export function isNumericField(field: FieldDefinition): boolean {
  const type = field.type === 'computed' ? field.resultType : field.type;
  return type === 'number' || type === 'integer' || type === 'money';
}
