/**
 * "My day": the signed-in user's open timeline items (planned contacts) due
 * today, and the overdue ones, from every entity with a timeline, owner and
 * open statuses — each with "record result".
 */
import { useEffect, useState } from 'preact/hooks';
import type { EntityDefinition } from '../../../core/metadata/types.ts';
import { get, qs } from '../lib/api.ts';
import { formatDate, loc, t } from '../lib/i18n.ts';
import { entities, entityByName, titleOf } from '../lib/meta.ts';
import { me } from '../lib/session.ts';
import { Link } from '../shell/Link.tsx';
import { CompleteDialog } from '../record/CompleteDialog.tsx';
import { canComplete, fieldOf } from '../record/follow-up.ts';

type Row = Record<string, unknown> & { _id: string; version?: number };
interface Item {
  entity: EntityDefinition;
  record: Row;
  due: string;
}

function plannable(entity: EntityDefinition): boolean {
  const options = entity.timeline;
  return Boolean(options?.statusField && options.openStatuses && entity.features?.owner);
}

export function MyDay() {
  const [items, setItems] = useState<Item[] | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [dialog, setDialog] = useState<Item | null>(null);
  useEffect(() => {
    const endOfDay = new Date();
    endOfDay.setHours(23, 59, 59, 999);
    const userId = me.value?.user._id;
    const sources = entities.value.filter(plannable);
    void Promise.all(
      sources.map(async (entity) => {
        const options = entity.timeline!;
        const due = options.dueField ?? options.dateField;
        const filter = { owner: userId, [options.statusField!]: { $in: options.openStatuses }, [due]: { $lte: endOfDay.toISOString() } };
        const page = await get<{ items: Row[] }>(`/data/${entity.name}${qs({ filter, sort: due, limit: 200, count: 'false', expand: entity.fields.filter((f) => f.type === 'reference').map((f) => f.name).join(',') || undefined })}`);
        return page.items.map((record) => ({ entity, record, due: String(record[due] ?? '') }));
      }),
    )
      .then((lists) => setItems(lists.flat().sort((a, b) => a.due.localeCompare(b.due))))
      .catch(() => setItems([]));
  }, [refresh, entities.value]);

  const startOfDay = new Date();
  startOfDay.setHours(0, 0, 0, 0);
  const now = Date.now();
  const overdue = (items ?? []).filter((i) => new Date(i.due).getTime() < now);
  const today = (items ?? []).filter((i) => new Date(i.due).getTime() >= now);

  const renderItem = (item: Item) => {
    const options = item.entity.timeline!;
    const typeField = fieldOf(item.entity, options.typeField);
    const option = typeField?.options?.find((o) => o.value === item.record[typeField.name]);
    const refs = item.entity.fields
      .filter((f) => f.type === 'reference' && typeof item.record[f.name] === 'object' && item.record[f.name] !== null)
      .map((f) => {
        const target = entityByName(f.entity ?? '');
        const ref = item.record[f.name] as Row;
        return target ? <Link key={f.name} href={`/e/${target.name}/${ref._id}`}>{titleOf(target, ref)}</Link> : null;
      });
    return (
      <li key={item.record._id}>
        <span class="dot" style={{ background: option?.color }} aria-hidden="true" />
        <div style="display:flex;gap:8px;align-items:center;flex-wrap:wrap">
          <span class="chip">{loc(option?.label, item.entity.name)}</span>
          <Link href={`/e/${item.entity.name}/${item.record._id}`}>{titleOf(item.entity, item.record)}</Link>
          <span class="faint">{formatDate(item.due, true)}</span>
          {refs.length > 0 && <span class="muted">· {refs}</span>}
          <span style="flex:1" />
          {canComplete(item.entity.name) && <button type="button" onClick={() => setDialog(item)}>{t('complete')}</button>}
        </div>
      </li>
    );
  };

  return (
    <section aria-labelledby="myday-title">
      <div class="page-head"><h1 id="myday-title">{t('myDay')}</h1><span class="muted">{formatDate(startOfDay.toISOString(), false)}</span></div>
      {items === null ? (
        <p class="muted">{t('loading')}</p>
      ) : (
        <div class="cols-2">
          <div class="panel">
            <h2 style="color:var(--danger)">{t('overdueItems')} ({overdue.length})</h2>
            {overdue.length === 0 ? <p class="muted">{t('nothingOverdue')}</p> : <ul class="timeline">{overdue.map(renderItem)}</ul>}
          </div>
          <div class="panel">
            <h2>{t('today')} ({today.length})</h2>
            {today.length === 0 ? <p class="muted">{t('nothingToday')}</p> : <ul class="timeline">{today.map(renderItem)}</ul>}
          </div>
        </div>
      )}
      {dialog && <CompleteDialog entity={dialog.entity} item={dialog.record} onClose={(changed) => { setDialog(null); if (changed) setRefresh((n) => n + 1); }} />}
    </section>
  );
}
