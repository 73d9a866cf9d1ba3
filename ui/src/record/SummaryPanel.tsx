/**
 * The client summary ("before the call", `GET /summary/:entity/:id`): key
 * attributes, contact counts, the next planned and open (overdue) items,
 * the last contacts, and the related lists from `summary.related`.
 */
import { Fragment } from 'preact';
import type { RecordSummary } from '../../../core/engagement/summary/operation.ts';
import type { RelatedItem } from '../../../core/engagement/summary/related.ts';
import { formatDate, formatNumber, t } from '../lib/i18n.ts';
import { entityByName, titleOf } from '../lib/meta.ts';
import { Link } from '../shell/Link.tsx';
import { TimelineEntry, type TimelineItem } from './Timeline.tsx';

export type { RecordSummary };

function relatedLine(entityName: string, item: RelatedItem) {
  const entity = entityByName(entityName);
  const record = item.record;
  const embedded = Object.entries(record)
    .filter(([, value]) => typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { _id?: unknown })._id === 'string')
    .map(([name, value]) => {
      const target = entityByName(entity?.fields.find((f) => f.name === name)?.entity ?? '');
      const ref = value as Record<string, unknown> & { _id: string };
      return target ? <Link key={name} href={`/e/${target.name}/${ref._id}`}>{titleOf(target, ref)}</Link> : null;
    });
  const own = titleOf(entity, record);
  return (
    <li key={String(record._id)}>
      {embedded}
      {own && <span class="muted"> · <Link href={`/e/${entityName}/${String(record._id)}`}>{own}</Link></span>}
      {item.siblings && item.siblings.length > 0 && <div class="faint">+ {item.siblings.map((s) => titleOf(entity, s)).join(', ')}</div>}
    </li>
  );
}

export function SummaryPanel(props: { summary: RecordSummary; onComplete: (item: TimelineItem) => void }) {
  const { summary } = props;
  const counts = summary.timeline.counts;
  return (
    <div class="panel" aria-labelledby="summary-title" role="region" data-testid="summary">
      <h2 id="summary-title">{t('summary')}</h2>
      <dl class="props">
        {summary.attributes.filter((a) => a.value !== null && a.value !== undefined && a.value !== '').map((attribute) => (
          <Fragment key={attribute.field}>
            <dt key={`${attribute.field}-dt`}>{attribute.label}</dt>
            <dd key={`${attribute.field}-dd`}>{attribute.text ?? (attribute.type === 'datetime' || attribute.type === 'date' ? formatDate(String(attribute.value), attribute.type === 'datetime') : String(attribute.value))}</dd>
          </Fragment>
        ))}
      </dl>
      <div class="stats" style="margin:12px 0">
        <div><b>{formatNumber(counts.total)}</b>{t('timeline')}</div>
        <div><b>{formatNumber(counts.open)}</b>{t('openItems')}</div>
        <div><b style={counts.overdue > 0 ? 'color:var(--danger)' : ''}>{formatNumber(counts.overdue)}</b>{t('overdueItems')}</div>
      </div>
      <div class="cols-2">
        <div>
          <h3>{t('upcoming')}</h3>
          {summary.timeline.open.length + summary.timeline.next.length === 0 && <p class="faint">—</p>}
          <ul class="timeline">
            {[...summary.timeline.open.filter((i) => i.isOverdue), ...summary.timeline.next].map((item) => <TimelineEntry key={item.id} item={item} onComplete={props.onComplete} />)}
          </ul>
        </div>
        <div>
          <h3>{t('lastContacts')}</h3>
          {summary.timeline.last.length === 0 && <p class="faint">—</p>}
          <ul class="timeline">
            {summary.timeline.last.map((item) => <TimelineEntry key={item.id} item={item} />)}
          </ul>
        </div>
      </div>
      {summary.related.map((list) => (
        <div key={`${list.entity}:${list.via}`}>
          <h3>{list.label} ({formatNumber(list.counts.current)})</h3>
          <ul style="margin:0;padding-left:18px">{list.current.map((item) => relatedLine(list.entity, item))}</ul>
          {list.former.length > 0 && (
            <>
              <div class="faint" style="margin-top:4px">{t('formerRelated')} ({formatNumber(list.counts.former)})</div>
              <ul style="margin:0;padding-left:18px" class="faint">{list.former.map((item) => relatedLine(list.entity, item))}</ul>
            </>
          )}
        </div>
      ))}
    </div>
  );
}
