/**
 * Recording an item's outcome (`POST …/:id/complete`) and then accepting the
 * proposed next contact (`POST …/:id/next`), whose date and title can be
 * changed before it is planned.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EntityDefinition } from '../../../core/metadata/types.ts';
import { ApiError, post } from '../lib/api.ts';
import { formatDate, loc, t } from '../lib/i18n.ts';
import { closingStatuses, fieldOf } from './follow-up.ts';

type JsonRecord = Record<string, unknown> & { _id: string; version?: number };

function toLocalInput(iso: unknown): string {
  if (typeof iso !== 'string') return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * With `item` null the dialog logs a new item first (quick actions "log a
 * call" …): it is created open from `preset` plus the title typed here, due
 * now, and then completed like any other.
 */
export function CompleteDialog(props: { entity: EntityDefinition; item: JsonRecord | null; preset?: Record<string, unknown>; onClose: (changed: boolean) => void }) {
  const { entity } = props;
  const [item, setItem] = useState<JsonRecord | null>(props.item);
  const [subject, setSubject] = useState('');
  const options = entity.timeline!;
  const followUp = options.followUp!;
  const statusField = fieldOf(entity, options.statusField);
  const closing = closingStatuses(entity);
  const dueField = options.dueField ?? options.dateField;
  const [status, setStatus] = useState(options.doneStatuses?.[0] ?? closing[0] ?? '');
  const [result, setResult] = useState('');
  const [proposal, setProposal] = useState<JsonRecord | null>(null);
  const [next, setNext] = useState<{ title: string; due: string }>({ title: '', due: '' });
  const [error, setError] = useState<string | null>(null);
  const [isDone, setDone] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const complete = async () => {
    setError(null);
    try {
      let target = item;
      if (!target) {
        const created = await post<JsonRecord>(`/data/${entity.name}`, {
          ...props.preset,
          ...(entity.titleField ? { [entity.titleField]: subject.trim() } : {}),
          [options.statusField!]: options.openStatuses![0],
          [dueField]: new Date().toISOString(),
        });
        target = created.body;
        setItem(target);
      }
      const body: Record<string, unknown> = { [options.statusField!]: status };
      if (followUp.resultField && result.trim()) body[followUp.resultField] = result.trim();
      const answer = await post<{ record: JsonRecord; proposal: JsonRecord | null }>(`/data/${entity.name}/${target._id}/complete`, body, target.version);
      const proposed = answer.body.proposal;
      if (!proposed) return props.onClose(true);
      setItem(answer.body.record);
      setProposal(proposed);
      setNext({ title: entity.titleField ? String(proposed[entity.titleField] ?? '') : '', due: toLocalInput(proposed[dueField]) });
    } catch (caught) {
      setError(caught instanceof ApiError ? [caught.message, ...caught.errors.map((e) => `${e.path} ${e.message}`)].join(' · ') : t('errorGeneric'));
    }
  };

  const plan = async () => {
    setError(null);
    try {
      const body: Record<string, unknown> = {};
      if (entity.titleField && next.title.trim()) body[entity.titleField] = next.title.trim();
      if (next.due) body[dueField] = new Date(next.due).toISOString();
      await post(`/data/${entity.name}/${item!._id}/next`, body);
      setDone(true);
      setTimeout(() => props.onClose(true), 600);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('errorGeneric'));
    }
  };

  const typeField = fieldOf(entity, options.typeField);
  const proposedType = proposal && typeField ? typeField.options?.find((o) => o.value === proposal[typeField.name]) : undefined;
  return (
    <dialog ref={dialog} aria-labelledby="complete-title" onCancel={(e) => { e.preventDefault(); props.onClose(proposal !== null); }}>
      <h2 id="complete-title">{proposal ? t('nextContact') : item ? `${t('complete')}: ${entity.titleField ? String(item[entity.titleField] ?? '') : ''}` : loc(entity.label, entity.name)}</h2>
      {error && <div class="alert" role="alert">{error}</div>}
      {isDone && <div class="alert ok" role="status">{t('nextPlanned')}</div>}
      {!proposal ? (
        <form onSubmit={(e) => { e.preventDefault(); void complete(); }} style="display:grid;gap:10px">
          {!item && entity.titleField && (
            <div class="field">
              <label for="log-subject">{loc(fieldOf(entity, entity.titleField)?.label, entity.titleField)} <span class="req" aria-hidden="true">*</span></label>
              <input id="log-subject" required value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
            </div>
          )}
          <div class="field">
            <label id="outcome-label">{t('outcome')}</label>
            <div role="radiogroup" aria-labelledby="outcome-label" style="display:flex;gap:4px;flex-wrap:wrap">
              {closing.map((value) => {
                const option = statusField?.options?.find((o) => o.value === value);
                return (
                  <button key={value} type="button" class="chip" role="radio" aria-checked={status === value} onClick={() => setStatus(value)}>
                    {option?.color && <span class="dot" style={{ background: option.color }} />}
                    {loc(option?.label, value)}
                  </button>
                );
              })}
            </div>
          </div>
          {followUp.resultField && (
            <div class="field">
              <label for="complete-result">{loc(fieldOf(entity, followUp.resultField)?.label, t('result'))}</label>
              <textarea id="complete-result" value={result} onInput={(e) => setResult(e.currentTarget.value)} />
            </div>
          )}
          <div class="actions">
            <button type="submit" class="primary">{t('save')}</button>
            <button type="button" onClick={() => props.onClose(false)}>{t('cancel')}</button>
          </div>
        </form>
      ) : (
        <form onSubmit={(e) => { e.preventDefault(); void plan(); }} style="display:grid;gap:10px">
          {proposedType && <div><span class="chip">{proposedType.color && <span class="dot" style={{ background: proposedType.color }} />}{loc(proposedType.label, proposedType.value)}</span> <span class="muted">{next.due && formatDate(new Date(next.due).toISOString(), true)}</span></div>}
          <div class="field">
            <label for="next-title">{loc(fieldOf(entity, entity.titleField)?.label, t('name'))}</label>
            <input id="next-title" value={next.title} onInput={(e) => setNext({ ...next, title: e.currentTarget.value })} />
          </div>
          <div class="field">
            <label for="next-due">{loc(fieldOf(entity, dueField)?.label, dueField)}</label>
            <input id="next-due" type="datetime-local" value={next.due} onInput={(e) => setNext({ ...next, due: e.currentTarget.value })} />
          </div>
          <div class="actions">
            <button type="submit" class="primary" disabled={isDone}>{t('acceptNext')}</button>
            <button type="button" onClick={() => props.onClose(true)}>{t('close')}</button>
          </div>
        </form>
      )}
    </dialog>
  );
}
