/**
 * The generated form of any entity: one input per field from metadata,
 * checked in the browser against the entity's compiled JSON Schema (the one
 * the API enforces) before sending; the server's 400 `errors[].path` are
 * shown at their fields too. An update sends only what changed, with
 * If-Match; a 409 offers to reload or to overwrite (re-send with the
 * current ETag).
 */
import { useEffect, useState } from 'preact/hooks';
import type { EntityDefinition, FieldDefinition } from '../../../core/metadata/types.ts';
import { ApiError, get, request, type FieldError } from '../lib/api.ts';
import { loc, t } from '../lib/i18n.ts';
import { entitySchema, visibleFields } from '../lib/meta.ts';
import { validate, type JsonSchema } from '../lib/validate.ts';
import { INPUTS } from './inputs.tsx';
import { NameChips } from './NameChips.tsx';
import { createDefaults, payloadOf, toFormValues } from './record-values.ts';

export type JsonRecord = Record<string, unknown> & { _id: string; version?: number };

interface Directions {
  items: Array<{ name: string; label: { en: string; ru?: string } }>;
}

const WIDE_TYPES = new Set(['longtext', 'json', 'references', 'multienum']);
/** The platform's system user entity takes a write-only password, which is in no schema (it is never stored on the record). */
const PASSWORD_ENTITY = 'user';

export function RecordForm(props: {
  entity: EntityDefinition;
  record: JsonRecord | null;
  /** values to start a new record with (a quick action's links, say) */
  preset?: Record<string, unknown>;
  presetTitles?: Record<string, string>;
  /** fields not to show (fixed by the caller) */
  hidden?: string[];
  onSaved: (record: JsonRecord) => void;
  onCancel?: () => void;
  onReload?: () => void;
}) {
  const { entity, record } = props;
  const start = record ? toFormValues(entity, record) : { values: { ...createDefaults(entity), ...props.preset }, titles: { ...props.presetTitles } };
  const [values, setValues] = useState<Record<string, unknown>>(start.values);
  const [original] = useState<Record<string, unknown> | null>(record ? start.values : null);
  const [titles, setTitles] = useState<Record<string, string>>(start.titles);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [isBusy, setBusy] = useState(false);
  const [schema, setSchema] = useState<JsonSchema | null>(null);
  const [directions, setDirections] = useState<Directions['items']>([]);
  const [password, setPassword] = useState('');
  const hasPassword = entity.name === PASSWORD_ENTITY;

  useEffect(() => {
    void entitySchema(entity, record ? 'update' : 'create').then(setSchema);
    if (entity.features?.direction) void get<Directions>('/meta/directions').then((d) => setDirections(d.items)).catch(() => undefined);
  }, [entity.name, entity.revision]);

  const writable = new Set(Object.keys((schema?.properties ?? {}) as object));
  const hidden = new Set(props.hidden ?? []);
  const fields = visibleFields(entity).filter((f) => !hidden.has(f.name) && f.name !== 'stage' && (writable.has(f.name) || (record && (f.type === 'computed' || f.readonly))));

  const send = async (payload: Record<string, unknown>, ifMatch?: string | number | null) => {
    if (record) return request<JsonRecord>('PATCH', `/data/${entity.name}/${record._id}`, { body: payload, ifMatch: ifMatch ?? record.version });
    return request<JsonRecord>('POST', `/data/${entity.name}`, { body: payload });
  };

  const save = async (ifMatch?: string | null) => {
    if (!schema) return;
    const payload = payloadOf({ values, original, writable });
    const found = validate(schema, payload);
    setErrors(found);
    setMessage(found.length > 0 ? t('fixErrors') : null);
    if (found.length > 0) return;
    setBusy(true);
    try {
      const saved = await send(hasPassword && password ? { ...payload, password } : payload, ifMatch);
      props.onSaved(saved.body);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409 && record && caught.problem.code === 'VERSION_CONFLICT') setConflict(true);
      else if (caught instanceof ApiError) {
        setErrors(caught.errors);
        setMessage(caught.message);
      } else setMessage(t('errorGeneric'));
    } finally {
      setBusy(false);
    }
  };

  const overwrite = async () => {
    setConflict(false);
    if (!record) return;
    const current = await request<JsonRecord>('GET', `/data/${entity.name}/${record._id}`);
    await save(current.etag);
  };

  const errorFor = (name: string) => errors.filter((e) => e.path === `/${name}` || e.path.startsWith(`/${name}/`));
  const unplaced = errors.filter((e) => !(hasPassword && e.path === '/password') && !fields.some((f) => e.path === `/${f.name}` || e.path.startsWith(`/${f.name}/`)));

  const renderField = (field: FieldDefinition) => {
    const id = `field-${field.name}`;
    const fieldErrors = errorFor(field.name);
    const describedBy = [fieldErrors.length ? `${id}-error` : '', field.help ? `${id}-help` : ''].filter(Boolean).join(' ') || undefined;
    const isRequired = field.required && writable.has(field.name);
    const input =
      hasPassword && (field.name === 'roles' || field.name === 'directions') ? (
        <NameChips id={id} label={loc(field.label, field.name)} kind={field.name} value={values[field.name]} onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))} />
      ) : field.name === 'direction' ? (
        <select id={id} name="direction" value={(values.direction as string) ?? ''} disabled={Boolean(record?.direction) && directions.length === 0} onChange={(e) => setValues({ ...values, direction: e.currentTarget.value || undefined })}>
          <option value="">—</option>
          {directions.map((d) => <option key={d.name} value={d.name}>{loc(d.label, d.name)}</option>)}
        </select>
      ) : (
        INPUTS[field.type]({
          field,
          id,
          value: values[field.name],
          onChange: (value) => setValues((current) => ({ ...current, [field.name]: value })),
          isInvalid: fieldErrors.length > 0,
          describedBy,
          titles,
          onTitle: (refId, title) => setTitles((current) => ({ ...current, [refId]: title })),
        })
      );
    return (
      <div class={`field${WIDE_TYPES.has(field.type) ? ' wide' : ''}`} key={field.name} data-field={field.name}>
        <label for={id}>
          {loc(field.label, field.name)} {isRequired && <span class="req" aria-hidden="true">*</span>}
        </label>
        {input}
        {field.help && <div class="help" id={`${id}-help`}>{loc(field.help)}</div>}
        {fieldErrors.length > 0 && <div class="error" id={`${id}-error`} role="alert">{fieldErrors.map((e) => e.message).join('; ')}</div>}
      </div>
    );
  };

  return (
    <form noValidate onSubmit={(e) => { e.preventDefault(); void save(); }} aria-label={loc(entity.label, entity.name)}>
      {message && (
        <div class="alert" role="alert">
          {message}
          {unplaced.length > 0 && <ul>{unplaced.map((e) => <li key={e.path}>{e.path} {e.message}</li>)}</ul>}
        </div>
      )}
      {conflict && (
        <div class="alert" role="alertdialog" aria-labelledby="conflict-title">
          <b id="conflict-title">{t('conflictTitle')}</b>
          <p style="margin:4px 0">{t('conflictText')}</p>
          <div class="actions" style="margin-top:6px">
            <button type="button" onClick={() => { setConflict(false); props.onReload?.(); }}>{t('reload')}</button>
            <button type="button" class="danger" onClick={() => void overwrite()}>{t('overwrite')}</button>
          </div>
        </div>
      )}
      <div class="form">
        {fields.map(renderField)}
        {hasPassword && (
          <div class="field" data-field="password">
            <label for="field-password">{t('password')}</label>
            <input id="field-password" type="password" autoComplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} aria-invalid={errorFor('password').length > 0 ? 'true' : undefined} />
            {errorFor('password').length > 0 && <div class="error" role="alert">{errorFor('password').map((e) => e.message).join('; ')}</div>}
          </div>
        )}
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={isBusy || !schema}>{record ? t('save') : t('create')}</button>
        {props.onCancel && <button type="button" onClick={props.onCancel}>{t('cancel')}</button>}
      </div>
    </form>
  );
}
