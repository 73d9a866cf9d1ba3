/**
 * The field designer of one entity: its fields, adding a custom attribute
 * (`POST /meta/entities/:entity/fields`), editing one (FieldEditor.tsx) and
 * retiring one (data kept). The
 * new field shows in forms and lists at once: metadata is reloaded after
 * every change, no server restart.
 */
import { useState } from 'preact/hooks';
import { FIELD_TYPES_UI } from './field-types.ts';
import { FieldEditor } from './FieldEditor.tsx';
import type { FieldDefinition } from '../../../core/metadata/types.ts';
import { ApiError, post, request } from '../lib/api.ts';
import { loc, t } from '../lib/i18n.ts';
import { entities, entityByName, loadEntities } from '../lib/meta.ts';
import { Link } from '../shell/Link.tsx';

/** "value=English=Русский" lines → enum options. */
export function parseOptions(text: string): Array<{ value: string; label: { en: string; ru?: string } }> {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [value = '', en, ru] = line.split('=').map((part) => part.trim());
      return { value, label: { en: en || value, ...(ru ? { ru } : {}) } };
    });
}

export function EntityDesigner(props: { name: string }) {
  const entity = entityByName(props.name);
  const [draft, setDraft] = useState({ name: '', type: 'text', en: '', ru: '', required: false, options: '', target: '' });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  if (!entity) return <p>{t('notFound')}</p>;
  const edited = entity.fields.find((field) => field.name === editing && !field.retired);

  const addField = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setNotice(null);
    const field: Partial<FieldDefinition> & Record<string, unknown> = {
      name: draft.name,
      type: draft.type as FieldDefinition['type'],
      label: { en: draft.en, ...(draft.ru ? { ru: draft.ru } : {}) },
      ...(draft.required ? { required: true } : {}),
    };
    if (draft.type === 'enum' || draft.type === 'multienum') field.options = parseOptions(draft.options);
    if (draft.type === 'reference' || draft.type === 'references') field.entity = draft.target;
    try {
      await request('POST', `/meta/entities/${entity.name}/fields`, { body: field, ifMatch: entity.revision ?? null });
      await loadEntities();
      setDraft({ name: '', type: 'text', en: '', ru: '', required: false, options: '', target: '' });
      setNotice(t('saved'));
    } catch (caught) {
      setError(caught instanceof ApiError ? [caught.message, ...caught.errors.map((e) => `${e.path} ${e.message}`)].join(' · ') : t('errorGeneric'));
    }
  };
  const retire = async (field: FieldDefinition) => {
    try {
      await request('DELETE', `/meta/entities/${entity.name}/fields/${field.name}`, { ifMatch: entity.revision ?? null });
      await loadEntities();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('errorGeneric'));
    }
  };

  return (
    <section aria-labelledby="designer-title">
      <div class="page-head">
        <div>
          <Link href="/admin/entities" class="muted">{t('entities')}</Link>
          <h1 id="designer-title">{loc(entity.label, entity.name)} <span class="faint">({entity.name})</span></h1>
        </div>
        <span class="spacer" />
        <Link class="btn" href={`/e/${entity.name}`}>{t('list')}</Link>
      </div>
      <div class="record">
        <div class="panel">
          <h2>{t('fields')}</h2>
          <table class="grid">
            <thead><tr><th>{t('name')}</th><th>{t('fieldName')}</th><th>{t('fieldType')}</th><th>{t('isRequired')}</th><th /></tr></thead>
            <tbody>
              {entity.fields.map((field) => (
                <tr key={field.name} class={field.retired ? 'faint' : undefined}>
                  <td>{loc(field.label, field.name)}</td>
                  <td class="faint">{field.name}</td>
                  <td>{field.type}{field.entity ? ` → ${field.entity}` : ''}</td>
                  <td>{field.required ? t('yes') : ''}</td>
                  <td>{field.retired ? t('retired') : (
                    <>
                      <button type="button" class="ghost" onClick={() => setEditing(field.name)} aria-label={`${t('edit')} ${field.name}`}>{t('edit')}</button>
                      <button type="button" class="ghost danger" onClick={() => void retire(field)} aria-label={`${t('retire')} ${field.name}`}>{t('retire')}</button>
                    </>
                  )}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {edited ? (
          <FieldEditor key={edited.name} entity={entity.name} revision={entity.revision ?? null} field={edited} onDone={() => setEditing(null)} />
        ) : (
        <form class="panel" onSubmit={addField} style="display:grid;gap:8px;align-content:start" aria-labelledby="add-field-title">
          <h2 id="add-field-title">{t('addField')}</h2>
          {error && <div class="alert" role="alert">{error}</div>}
          {notice && <div class="alert ok" role="status">{notice}</div>}
          <label>{t('labelEn')}<input name="labelEn" required value={draft.en} onInput={(e) => { const en = e.currentTarget.value; setDraft({ ...draft, en, name: draft.name || '' }); }} style="width:100%" /></label>
          <label>{t('labelRu')}<input name="labelRu" value={draft.ru} onInput={(e) => setDraft({ ...draft, ru: e.currentTarget.value })} style="width:100%" /></label>
          <label>{t('fieldName')}<input name="fieldName" required pattern="^[a-z][a-zA-Z0-9]*$" value={draft.name} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} style="width:100%" /></label>
          <label>{t('fieldType')}
            <select name="fieldType" value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.currentTarget.value })} style="width:100%">
              {FIELD_TYPES_UI.map((type) => <option key={type} value={type}>{type}</option>)}
            </select>
          </label>
          {(draft.type === 'enum' || draft.type === 'multienum') && (
            <label>{t('options')}<textarea name="options" value={draft.options} onInput={(e) => setDraft({ ...draft, options: e.currentTarget.value })} /></label>
          )}
          {(draft.type === 'reference' || draft.type === 'references') && (
            <label>{t('targetEntity')}
              <select name="target" required value={draft.target} onChange={(e) => setDraft({ ...draft, target: e.currentTarget.value })} style="width:100%">
                <option value="">—</option>
                {entities.value.map((e) => <option key={e.name} value={e.name}>{loc(e.label, e.name)}</option>)}
              </select>
            </label>
          )}
          <label style="display:flex;gap:6px;align-items:center"><input type="checkbox" checked={draft.required} onChange={() => setDraft({ ...draft, required: !draft.required })} />{t('isRequired')}</label>
          <div><button class="primary" type="submit">{t('addField')}</button></div>
        </form>
        )}
      </div>
    </section>
  );
}
