/**
 * The filter panel: one control per filterable field, by field type.
 */
import type { FieldDefinition } from '../../../core/metadata/types.ts';
import { ReferencePicker } from '../form/ReferencePicker.tsx';
import { loc, t } from '../lib/i18n.ts';
import { filterKind, type FieldFilter, type FilterState } from './filter-model.ts';

function FieldFilterControl(props: { field: FieldDefinition; value: FieldFilter; onChange: (value: FieldFilter) => void }) {
  const { field, value, onChange } = props;
  const id = `filter-${field.name}`;
  const label = loc(field.label, field.name);
  const kind = filterKind(field);
  switch (kind) {
    case 'text':
      return (
        <div>
          <label for={id}>{label} <span class="faint">{t('contains')}</span></label>
          <input id={id} type="text" value={value.contains ?? ''} onInput={(e) => onChange({ contains: e.currentTarget.value })} />
        </div>
      );
    case 'number':
    case 'money':
    case 'date':
    case 'datetime': {
      const type = kind === 'date' || kind === 'datetime' ? 'date' : 'text';
      return (
        <div>
          <label for={`${id}-min`}>{label}</label>
          <div class="range">
            <input id={`${id}-min`} type={type as 'text'} inputMode={type === 'text' ? ('decimal' as const) : undefined} placeholder={t('from')} aria-label={`${label} ${t('from')}`} value={value.min ?? ''} onInput={(e) => onChange({ ...value, min: e.currentTarget.value })} />
            <input type={type as 'text'} inputMode={type === 'text' ? ('decimal' as const) : undefined} placeholder={t('to')} aria-label={`${label} ${t('to')}`} value={value.max ?? ''} onInput={(e) => onChange({ ...value, max: e.currentTarget.value })} />
          </div>
        </div>
      );
    }
    case 'enum': {
      const chosen = new Set(value.in ?? []);
      return (
        <div role="group" aria-label={label}>
          <label>{label}</label>
          <div style="display:flex;flex-wrap:wrap;gap:4px">
            {(field.options ?? []).map((option) => (
              <button
                key={option.value}
                type="button"
                class="chip"
                aria-pressed={chosen.has(option.value)}
                onClick={() => {
                  const next = new Set(chosen);
                  if (next.has(option.value)) next.delete(option.value);
                  else next.add(option.value);
                  onChange({ in: [...next] });
                }}
              >
                {option.color && <span class="dot" style={{ background: option.color }} />}
                {loc(option.label, option.value)}
              </button>
            ))}
          </div>
        </div>
      );
    }
    case 'boolean':
      return (
        <div>
          <label for={id}>{label}</label>
          <select id={id} value={value.is ?? ''} onChange={(e) => onChange({ is: (e.currentTarget.value || undefined) as FieldFilter['is'] })}>
            <option value="">{t('any')}</option>
            <option value="true">{t('yes')}</option>
            <option value="false">{t('no')}</option>
          </select>
        </div>
      );
    case 'reference':
      return (
        <div>
          <label for={id}>{label}</label>
          <ReferencePicker id={id} entity={field.entity ?? ''} label={label} value={value.ref ? { id: value.ref.id, title: value.ref.title } : null} onChange={(picked) => onChange({ ref: picked ?? undefined })} />
        </div>
      );
    case 'none':
      return null;
  }
}

export function Filters(props: { fields: FieldDefinition[]; state: FilterState; onChange: (state: FilterState) => void }) {
  const fields = props.fields.filter((field) => filterKind(field) !== 'none' && field.name !== 'direction');
  return (
    <div class="filters" role="region" aria-label={t('filters')}>
      {fields.map((field) => (
        <FieldFilterControl key={field.name} field={field} value={props.state[field.name] ?? {}} onChange={(value) => props.onChange({ ...props.state, [field.name]: value })} />
      ))}
      <div style="align-self:end">
        <button type="button" onClick={() => props.onChange({})}>{t('clearFilters')}</button>
      </div>
    </div>
  );
}
