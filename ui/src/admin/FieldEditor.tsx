/**
 * Editing an existing field of an entity (`PATCH /meta/entities/:entity/fields/:field`):
 * labels, required, and an enum's options. The name and type are stable. When the change
 * would make stored records invalid (an option in use removed, a field made required that
 * some records lack), the server refuses with the count; the administrator sees it and may
 * apply the change anyway (`?force=true`), which the metadata revision records.
 */
import { useState } from 'preact/hooks';
import type { FieldDefinition } from '../../../core/metadata/types.ts';
import { ApiError, request } from '../lib/api.ts';
import { loc, t } from '../lib/i18n.ts';
import { loadEntities } from '../lib/meta.ts';
import { parseOptions } from './EntityDesigner.tsx';

const isEnum = (field: FieldDefinition): boolean => field.type === 'enum' || field.type === 'multienum';

function optionsText(field: FieldDefinition): string {
  return (field.options ?? []).map((o) => [o.value, o.label?.en ?? o.value, o.label?.ru].filter((part) => part !== undefined).join('=')).join('\n');
}

export function FieldEditor(props: { entity: string; revision: number | null; field: FieldDefinition; onDone: () => void }) {
  const { field } = props;
  const [draft, setDraft] = useState({ en: field.label?.en ?? '', ru: field.label?.ru ?? '', required: field.required === true, options: optionsText(field) });
  const [error, setError] = useState<string | null>(null);
  const [impact, setImpact] = useState<number | null>(null);

  const save = async (isForced: boolean) => {
    setError(null);
    const patch: Record<string, unknown> = {
      label: { en: draft.en, ...(draft.ru ? { ru: draft.ru } : {}) },
      required: draft.required,
      // Colours are not edited here: each option keeps the one it had.
      ...(isEnum(field) ? { options: parseOptions(draft.options).map((o) => ({ ...field.options?.find((old) => old.value === o.value), ...o })) } : {}),
    };
    try {
      await request('PATCH', `/meta/entities/${props.entity}/fields/${field.name}${isForced ? '?force=true' : ''}`, { body: patch, ifMatch: props.revision });
      await loadEntities();
      props.onDone();
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409 && typeof caught.problem.count === 'number') {
        setImpact(caught.problem.count);
        return;
      }
      setError(caught instanceof ApiError ? [caught.message, ...caught.errors.map((e) => `${e.path} ${e.message}`)].join(' · ') : t('errorGeneric'));
    }
  };

  return (
    <form class="panel" style="display:grid;gap:8px;align-content:start" aria-labelledby="edit-field-title" onSubmit={(e) => { e.preventDefault(); void save(false); }}>
      <h2 id="edit-field-title">{t('editField')}: {loc(field.label, field.name)} <span class="faint">({field.name}, {field.type})</span></h2>
      {error && <div class="alert" role="alert">{error}</div>}
      {impact !== null && (
        <div class="alert" role="alert">
          {t('fieldChangeImpact', { count: impact })}{' '}
          <button type="button" class="danger" onClick={() => void save(true)}>{t('applyAnyway')}</button>
        </div>
      )}
      <label>{t('labelEn')}<input name="labelEn" required value={draft.en} onInput={(e) => setDraft({ ...draft, en: e.currentTarget.value })} style="width:100%" /></label>
      <label>{t('labelRu')}<input name="labelRu" value={draft.ru} onInput={(e) => setDraft({ ...draft, ru: e.currentTarget.value })} style="width:100%" /></label>
      {isEnum(field) && (
        <label>{t('options')}<textarea name="options" value={draft.options} onInput={(e) => { setImpact(null); setDraft({ ...draft, options: e.currentTarget.value }); }} /></label>
      )}
      <label style="display:flex;gap:6px;align-items:center"><input type="checkbox" checked={draft.required} onChange={() => { setImpact(null); setDraft({ ...draft, required: !draft.required }); }} />{t('isRequired')}</label>
      <div style="display:flex;gap:8px">
        <button class="primary" type="submit">{t('save')}</button>
        <button type="button" onClick={props.onDone}>{t('cancel')}</button>
      </div>
    </form>
  );
}
