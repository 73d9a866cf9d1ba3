/**
 * The interaction timeline of a record (`GET …/:id/timeline`): newest first,
 * paged by cursor, open and overdue items flagged, with "record result" on
 * open items of entities that can be completed.
 */
import { useEffect, useState } from 'preact/hooks';
import type { TimelineItem } from '../../../core/engagement/timeline/items.ts';
import { get, qs } from '../lib/api.ts';
import { formatDate, loc, t } from '../lib/i18n.ts';
import { entityByName } from '../lib/meta.ts';
import { requestUserNames, userName } from '../lib/users.ts';
import { Link } from '../shell/Link.tsx';
import { canComplete, fieldOf } from './follow-up.ts';

export type { TimelineItem };

export function TimelineEntry(props: { item: TimelineItem; onComplete?: (item: TimelineItem) => void }) {
  const { item } = props;
  const entity = entityByName(item.entity);
  const typeField = entity ? fieldOf(entity, entity.timeline?.typeField) : undefined;
  const option = typeField?.options?.find((o) => o.value === item.type);
  const resultField = entity?.timeline?.followUp?.resultField;
  const result = resultField ? item.record[resultField] : undefined;
  return (
    <li data-testid="timeline-item">
      <span class="dot" style={{ background: option?.color ?? undefined }} aria-hidden="true" />
      <div>
        <div style="display:flex;gap:8px;align-items:baseline;flex-wrap:wrap">
          <span class="chip">{loc(option?.label, item.type ?? item.entity)}</span>
          <Link href={`/e/${item.entity}/${item.id}`}>{item.title ?? `#${item.id.slice(-6)}`}</Link>
          {item.isOverdue ? <span class="tag-overdue">{t('overdue')}</span> : item.isOpen ? <span class="tag-open">{t('planned')}</span> : null}
        </div>
        <div class="faint">
          {formatDate(item.at, true)}
          {item.actor && ` · ${userName(item.actor)}`}
        </div>
        {typeof result === 'string' && result && <div class="muted" style="white-space:pre-wrap">{result}</div>}
        {item.isOpen && props.onComplete && canComplete(item.entity) && (
          <button type="button" style="margin-top:4px" onClick={() => props.onComplete!(item)}>{t('complete')}</button>
        )}
      </div>
    </li>
  );
}

export function Timeline(props: { entity: string; id: string; refresh: number; onComplete: (item: TimelineItem) => void }) {
  const [items, setItems] = useState<TimelineItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [isLoading, setLoading] = useState(true);
  const load = async (after: string | null) => {
    setLoading(true);
    try {
      const page = await get<{ items: TimelineItem[]; nextCursor: string | null }>(`/data/${props.entity}/${props.id}/timeline${qs({ limit: 30, cursor: after ?? undefined })}`);
      setItems((current) => (after ? [...current, ...page.items] : page.items));
      setCursor(page.nextCursor);
      requestUserNames(page.items.map((i) => i.actor));
    } catch {
      setItems([]);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => void load(null), [props.entity, props.id, props.refresh]);
  return (
    <div>
      {!isLoading && items.length === 0 && <p class="muted">{t('noTimeline')}</p>}
      <ul class="timeline">
        {items.map((item) => <TimelineEntry key={`${item.entity}:${item.id}`} item={item} onComplete={props.onComplete} />)}
      </ul>
      {cursor && <button type="button" onClick={() => void load(cursor)}>{t('loadMore')}</button>}
    </div>
  );
}
