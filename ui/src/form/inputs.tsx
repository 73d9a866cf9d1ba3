/**
 * One input per field type (a `Record` over the types, so a new type
 * without an input is a compile error). Values are kept in their wire form:
 * money as a decimal string, dates as "YYYY-MM-DD", datetimes as ISO 8601,
 * references as ids (their titles alongside, for display).
 */
import type { JSX } from 'preact';
import type { FieldDefinition, FieldType } from '../../../core/metadata/types.ts';
import { renderValue } from '../lib/format.tsx';
import { loc, t } from '../lib/i18n.ts';
import { ReferencePicker, type PickedRecord } from './ReferencePicker.tsx';

export interface InputProps {
  field: FieldDefinition;
  id: string;
  value: unknown;
  onChange: (value: unknown) => void;
  isInvalid: boolean;
  describedBy?: string;
  /** titles of referenced records, by id */
  titles: Record<string, string>;
  onTitle: (id: string, title: string) => void;
}

const emptyToNull = (text: string): string | null => (text === '' ? null : text);

function textInput(type: 'text' | 'email' | 'tel' | 'url'): (p: InputProps) => JSX.Element {
  return (p) => (
    <input id={p.id} name={p.field.name} type={type as 'text'} value={typeof p.value === 'string' ? p.value : ''} aria-invalid={p.isInvalid ? 'true' : undefined} aria-describedby={p.describedBy} aria-required={p.field.required ? 'true' : undefined} onInput={(e) => p.onChange(emptyToNull(e.currentTarget.value))} />
  );
}

function numberInput(p: InputProps): JSX.Element {
  return (
    <input
      id={p.id}
      name={p.field.name}
      type="text"
      inputMode="decimal"
      value={p.value === null || p.value === undefined ? '' : String(p.value)}
      aria-invalid={p.isInvalid ? 'true' : undefined}
      aria-describedby={p.describedBy}
      onInput={(e) => {
        const raw = e.currentTarget.value.trim().replace(',', '.');
        if (raw === '') return p.onChange(null);
        const n = Number(raw);
        p.onChange(Number.isFinite(n) && /^-?\d*\.?\d+(e[-+]?\d+)?$/i.test(raw) ? n : raw);
      }}
    />
  );
}

/** ISO instant ↔ the `datetime-local` input's local "YYYY-MM-DDTHH:mm". */
function toLocalInput(iso: unknown): string {
  if (typeof iso !== 'string') return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function EnumChips(p: InputProps & { isMulti: boolean }) {
  const chosen = new Set(p.isMulti ? (Array.isArray(p.value) ? (p.value as string[]) : []) : p.value ? [p.value as string] : []);
  return (
    <div
      id={p.id}
      role={p.isMulti ? 'group' : 'radiogroup'}
      aria-label={loc(p.field.label, p.field.name)}
      aria-invalid={p.isInvalid ? 'true' : undefined}
      aria-describedby={p.describedBy}
      style="display:flex;flex-wrap:wrap;gap:4px"
      onKeyDown={(e) => {
        // A radio group moves its choice with the arrow keys (WAI-ARIA radio group pattern).
        if (p.isMulti || !['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp'].includes(e.key)) return;
        const options = p.field.options ?? [];
        if (options.length === 0) return;
        e.preventDefault();
        const at = options.findIndex((o) => o.value === p.value);
        const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : -1;
        const next = options[(at + step + options.length) % options.length]!;
        p.onChange(next.value);
        const buttons = (e.currentTarget as HTMLElement).querySelectorAll<HTMLButtonElement>('button');
        buttons[options.indexOf(next)]?.focus();
      }}
    >
      {(p.field.options ?? []).map((option) => (
        <button
          key={option.value}
          type="button"
          class="chip"
          role={p.isMulti ? undefined : 'radio'}
          aria-checked={p.isMulti ? undefined : chosen.has(option.value)}
          tabIndex={p.isMulti || chosen.has(option.value) || (chosen.size === 0 && option === p.field.options?.[0]) ? 0 : -1}
          aria-pressed={p.isMulti ? chosen.has(option.value) : undefined}
          onClick={() => {
            if (!p.isMulti) return p.onChange(chosen.has(option.value) && !p.field.required ? null : option.value);
            const next = new Set(chosen);
            if (next.has(option.value)) next.delete(option.value);
            else next.add(option.value);
            p.onChange(next.size > 0 ? [...next] : null);
          }}
        >
          {option.color && <span class="dot" style={{ background: option.color }} />}
          {loc(option.label, option.value)}
        </button>
      ))}
    </div>
  );
}

function referenceInput(p: InputProps): JSX.Element {
  const id = typeof p.value === 'string' ? p.value : null;
  return (
    <ReferencePicker
      id={p.id}
      entity={p.field.entity ?? ''}
      label={loc(p.field.label, p.field.name)}
      isInvalid={p.isInvalid}
      value={id ? { id, title: p.titles[id] ?? `#${id.slice(-6)}` } : null}
      onChange={(picked: PickedRecord | null) => {
        if (picked) p.onTitle(picked.id, picked.title);
        p.onChange(picked ? picked.id : null);
      }}
    />
  );
}

function referencesInput(p: InputProps): JSX.Element {
  const ids = Array.isArray(p.value) ? (p.value as string[]) : [];
  return (
    <div>
      <div style="display:flex;flex-wrap:wrap;gap:4px;margin-bottom:4px">
        {ids.map((id) => (
          <span class="chip" key={id}>
            {p.titles[id] ?? `#${id.slice(-6)}`}
            <button type="button" class="ghost" style="min-height:0;padding:0 2px" aria-label={`${t('clear')} ${p.titles[id] ?? id}`} onClick={() => p.onChange(ids.filter((x) => x !== id).length ? ids.filter((x) => x !== id) : null)}>×</button>
          </span>
        ))}
      </div>
      <ReferencePicker
        id={p.id}
        entity={p.field.entity ?? ''}
        label={loc(p.field.label, p.field.name)}
        value={null}
        onChange={(picked) => {
          if (!picked || ids.includes(picked.id)) return;
          p.onTitle(picked.id, picked.title);
          p.onChange([...ids, picked.id]);
        }}
      />
    </div>
  );
}

function jsonInput(p: InputProps): JSX.Element {
  return (
    <textarea
      id={p.id}
      name={p.field.name}
      class="code"
      aria-invalid={p.isInvalid ? 'true' : undefined}
      aria-describedby={p.describedBy}
      value={p.value === undefined || p.value === null ? '' : JSON.stringify(p.value)}
      onChange={(e) => {
        const raw = e.currentTarget.value.trim();
        try {
          p.onChange(raw === '' ? null : JSON.parse(raw));
        } catch {
          p.onChange(raw);
        }
      }}
    />
  );
}

export const INPUTS: Record<FieldType, (p: InputProps) => JSX.Element> = {
  text: textInput('text'),
  email: textInput('email'),
  phone: textInput('tel'),
  url: textInput('url'),
  longtext: (p) => <textarea id={p.id} name={p.field.name} value={typeof p.value === 'string' ? p.value : ''} aria-invalid={p.isInvalid ? 'true' : undefined} aria-describedby={p.describedBy} onInput={(e) => p.onChange(emptyToNull(e.currentTarget.value))} />,
  number: numberInput,
  integer: numberInput,
  money: (p) => (
    <div class="money">
      <input id={p.id} name={p.field.name} type="text" inputMode="decimal" value={typeof p.value === 'string' ? p.value : p.value === null || p.value === undefined ? '' : String(p.value)} aria-invalid={p.isInvalid ? 'true' : undefined} aria-describedby={p.describedBy} onInput={(e) => p.onChange(emptyToNull(e.currentTarget.value.trim().replace(/\s/g, '').replace(',', '.')))} />
      {p.field.currency && <span class="muted">{p.field.currency}</span>}
    </div>
  ),
  boolean: (p) => <input id={p.id} name={p.field.name} type="checkbox" checked={p.value === true} aria-describedby={p.describedBy} onChange={(e) => p.onChange(e.currentTarget.checked)} />,
  date: (p) => <input id={p.id} name={p.field.name} type="date" value={typeof p.value === 'string' ? p.value.slice(0, 10) : ''} aria-invalid={p.isInvalid ? 'true' : undefined} aria-describedby={p.describedBy} onInput={(e) => p.onChange(emptyToNull(e.currentTarget.value))} />,
  datetime: (p) => (
    <input id={p.id} name={p.field.name} type="datetime-local" value={toLocalInput(p.value)} aria-invalid={p.isInvalid ? 'true' : undefined} aria-describedby={p.describedBy} onInput={(e) => p.onChange(e.currentTarget.value ? new Date(e.currentTarget.value).toISOString() : null)} />
  ),
  enum: (p) => <EnumChips {...p} isMulti={false} />,
  multienum: (p) => <EnumChips {...p} isMulti />,
  reference: referenceInput,
  references: referencesInput,
  computed: (p) => <output id={p.id} class="muted">{renderValue(p.field, p.value) || '—'} <span class="faint">({t('computed')})</span></output>,
  json: jsonInput,
};
