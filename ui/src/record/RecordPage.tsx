/**
 * The page of one record: its fields, the client summary where the entity
 * has one, the timeline, related lists and history, and quick actions (log
 * a call/meeting/letter, record a result, accept the next contact).
 */
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, qs, request } from '../lib/api.ts';
import { renderValue } from '../lib/format.tsx';
import { loc, t } from '../lib/i18n.ts';
import { entityByName, titleOf, visibleFields, type EntityDefinition } from '../lib/meta.ts';
import { navigate } from '../lib/router.ts';
import { userName, requestUserNames } from '../lib/users.ts';
import { Link } from '../shell/Link.tsx';
import { referenceExpand } from '../form/FormPage.tsx';
import { CompleteDialog } from './CompleteDialog.tsx';
import { fieldOf, timelineSourcesFor, type TimelineSource } from './follow-up.ts';
import { HistoryPanel } from './HistoryPanel.tsx';
import { RelatedLists } from './RelatedLists.tsx';
import { SummaryPanel, type RecordSummary } from './SummaryPanel.tsx';
import { Timeline, type TimelineItem } from './Timeline.tsx';

type JsonRecord = Record<string, unknown> & { _id: string; version?: number };
type Tab = 'timeline' | 'related' | 'history';
type Dialog = { entity: EntityDefinition; item: JsonRecord | null; preset?: Record<string, unknown> } | null;

const QUICK_TYPES = ['call', 'meeting', 'letter'];

function quickActions(source: TimelineSource): Array<{ value: string; label: string }> {
  const typeField = fieldOf(source.entity, source.options.typeField);
  const options = typeField?.options ?? [];
  const preferred = options.filter((o) => QUICK_TYPES.includes(o.value));
  return (preferred.length > 0 ? preferred : options.slice(0, 3)).map((o) => ({ value: o.value, label: loc(o.label, o.value) }));
}

export function RecordPage(props: { entity: string; id: string }) {
  const entity = entityByName(props.entity);
  const [record, setRecord] = useState<JsonRecord | null>(null);
  const [summary, setSummary] = useState<RecordSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('timeline');
  const [refresh, setRefresh] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(null);
  const sources = timelineSourcesFor(props.entity).filter((s) => s.options.followUp);
  const hasTimeline = timelineSourcesFor(props.entity).length > 0;

  useEffect(() => {
    setError(null);
    get<JsonRecord>(`/data/${props.entity}/${props.id}${qs({ expand: referenceExpand(props.entity) })}`)
      .then((r) => {
        setRecord(r);
        requestUserNames([r.owner as string, r.createdBy as string, r.updatedBy as string]);
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : t('errorGeneric')));
    if (entity?.summary) void get<RecordSummary>(`/summary/${props.entity}/${props.id}`).then(setSummary).catch(() => setSummary(null));
  }, [props.entity, props.id, refresh]);

  if (!entity) return <p>{t('notFound')}</p>;
  if (error) return <div class="alert" role="alert">{error}</div>;
  if (!record) return <p class="muted">{t('loading')}</p>;

  const openComplete = async (item: TimelineItem) => {
    const target = entityByName(item.entity);
    if (!target) return;
    const current = await get<JsonRecord>(`/data/${item.entity}/${item.id}`);
    setDialog({ entity: target, item: current });
  };
  const remove = async () => {
    if (!window.confirm(t('confirmDelete', { count: 1 }))) return;
    try {
      await request('DELETE', `/data/${entity.name}/${record._id}`, { ifMatch: record.version });
      navigate(`/e/${entity.name}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('errorGeneric'));
    }
  };

  const fields = visibleFields(entity);
  return (
    <section aria-labelledby="record-title">
      <div class="page-head">
        <div>
          <Link href={`/e/${entity.name}`} class="muted">{loc(entity.pluralLabel ?? entity.label)}</Link>
          <h1 id="record-title">{titleOf(entity, record)}</h1>
        </div>
        <span class="spacer" />
        {sources.flatMap((source) =>
          quickActions(source).map((action) => (
            <button key={`${source.entity.name}:${action.value}`} type="button" onClick={() => setDialog({ entity: source.entity, item: null, preset: { [source.options.typeField ?? 'type']: action.value, [source.via.name]: record._id } })}>
              + {t('logActivity', { type: action.label })}
            </button>
          )),
        )}
        <Link class="btn" href={`/e/${entity.name}/${record._id}/edit`}>{t('edit')}</Link>
        <button type="button" class="danger" onClick={() => void remove()}>{t('delete')}</button>
      </div>
      <div class="record">
        <div>
          {summary && <SummaryPanel summary={summary} onComplete={(item) => void openComplete(item)} />}
          <div class="panel">
            <div class="tabs" role="tablist">
              {(['timeline', 'related', 'history'] as const).filter((name) => name !== 'timeline' || hasTimeline).map((name) => (
                <button key={name} type="button" role="tab" aria-selected={tab === name || (!hasTimeline && tab === 'timeline' && name === 'related')} onClick={() => setTab(name)}>
                  {t(name)}
                </button>
              ))}
            </div>
            <div role="tabpanel">
              {tab === 'timeline' && hasTimeline && <Timeline entity={entity.name} id={record._id} refresh={refresh} onComplete={(item) => void openComplete(item)} />}
              {(tab === 'related' || (tab === 'timeline' && !hasTimeline)) && <RelatedLists entity={entity.name} id={record._id} refresh={refresh} />}
              {tab === 'history' && <HistoryPanel entity={entity} id={record._id} refresh={refresh} />}
            </div>
          </div>
        </div>
        <aside class="panel" aria-label={t('fields')}>
          <h2>{t('fields')}</h2>
          <dl class="props">
            {fields.map((field) => (
              <Fragment key={field.name}>
                <dt key={`${field.name}-t`}>{loc(field.label, field.name)}</dt>
                <dd key={`${field.name}-d`} data-field={field.name}>{field.name === 'owner' && typeof record.owner === 'string' ? userName(record.owner) : renderValue(field, record[field.name]) || <span class="faint">—</span>}</dd>
              </Fragment>
            ))}
          </dl>
        </aside>
      </div>
      {dialog && (
        <CompleteDialog
          entity={dialog.entity}
          item={dialog.item}
          preset={dialog.preset}
          onClose={(changed) => {
            setDialog(null);
            if (changed) setRefresh((n) => n + 1);
          }}
        />
      )}
    </section>
  );
}
