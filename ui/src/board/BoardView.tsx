/**
 * The board (kanban) of an entity with a pipeline: a column per stage with
 * its count and sum (`GET /board/:entity`), cards dragged between columns —
 * or moved with the keyboard through each card's "move to" menu — via
 * `POST /data/:entity/:id/transition`; a refusal (422) is shown with every
 * reason the server gave, and nothing moves. A column shows its first 50
 * cards; "show more" pages on through the list API (same filter on the
 * stage, same sort), by offset once and then by the returned cursor.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PipelineDefinition } from '../../../core/metadata/types.ts';
import { ApiError, get, post, qs } from '../lib/api.ts';
import { renderValue } from '../lib/format.tsx';
import { formatNumber, loc, t, type LocalizedText } from '../lib/i18n.ts';
import { entityByName, pipelineOf, titleOf } from '../lib/meta.ts';
import { Link } from '../shell/Link.tsx';

type Card = Record<string, unknown> & { _id: string; version?: number; stage?: string };
interface Column {
  name: string;
  label: LocalizedText;
  color?: string;
  count: number;
  sum: string | number | null;
  items: Card[];
}
interface Board {
  amountField: string | null;
  stages: Column[];
}
interface MoreCards {
  items: Card[];
  cursor: string | null;
}

const CARDS_PER_PAGE = 50;
const BOARD_SORT = '-updatedAt';

export function BoardView(props: { entity: string }) {
  const entity = entityByName(props.entity);
  const [pipeline, setPipeline] = useState<PipelineDefinition | null>(null);
  const [board, setBoard] = useState<Board | null>(null);
  const [refusal, setRefusal] = useState<{ title: string; reasons: string[] } | null>(null);
  const [dragging, setDragging] = useState<Card | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [more, setMore] = useState<Record<string, MoreCards>>({});
  const references = entity?.fields.filter((f) => f.type === 'reference' && !f.retired).map((f) => f.name).join(',');

  useEffect(() => {
    if (!entity) return;
    void pipelineOf(entity).then(setPipeline).catch(() => setPipeline(null));
    get<Board>(`/board/${props.entity}${qs({ limit: CARDS_PER_PAGE, sort: BOARD_SORT, expand: references || undefined })}`)
      .then((loaded) => {
        setBoard(loaded);
        setMore({});
      })
      .catch(() => setBoard(null));
  }, [props.entity, refresh]);

  if (!entity) return <p>{t('notFound')}</p>;
  if (!entity.features?.pipeline) return <p class="muted">{t('boardUnavailable')}</p>;
  const amountField = board?.amountField ? entity.fields.find((f) => f.name === board.amountField) : undefined;

  const move = async (card: Card, stage: string) => {
    if (card.stage === stage) return;
    setRefusal(null);
    try {
      await post(`/data/${entity.name}/${card._id}/transition`, { stage }, card.version);
    } catch (caught) {
      if (caught instanceof ApiError) {
        // "/contactPerson" → "Contact person: is required …"
        const reasons = caught.errors.map((e) => {
          const field = entity.fields.find((f) => `/${f.name}` === e.path);
          return field ? `${loc(field.label, field.name)}: ${e.message}` : e.message;
        });
        setRefusal({ title: caught.status === 422 ? t('moveRefused') : caught.message, reasons: caught.status === 422 ? [caught.message, ...reasons] : reasons });
      }
      else setRefusal({ title: t('errorGeneric'), reasons: [] });
    }
    setRefresh((n) => n + 1);
  };

  const showMore = async (column: Column) => {
    const loaded = more[column.name];
    const page = await get<{ items: Card[]; nextCursor: string | null }>(`/data/${entity.name}${qs({
      filter: JSON.stringify({ stage: column.name }),
      sort: BOARD_SORT,
      limit: CARDS_PER_PAGE,
      count: 'false',
      expand: references || undefined,
      ...(loaded?.cursor ? { cursor: loaded.cursor } : { offset: column.items.length + (loaded?.items.length ?? 0) }),
    })}`);
    // A card moved meanwhile may come twice: keep the first.
    const seen = new Set([...column.items, ...(loaded?.items ?? [])].map((card) => card._id));
    const items = [...(loaded?.items ?? []), ...page.items.filter((card) => !seen.has(card._id))];
    setMore({ ...more, [column.name]: { items, cursor: page.nextCursor } });
  };

  const stages = pipeline?.stages ?? [];
  return (
    <section aria-labelledby="board-title">
      <div class="page-head">
        <h1 id="board-title">{loc(entity.pluralLabel ?? entity.label)} · {loc(pipeline?.label, t('board'))}</h1>
        <span class="spacer" />
        <Link class="btn" href={`/e/${entity.name}`}>{t('list')}</Link>
        <Link class="btn primary" href={`/e/${entity.name}/new`}>+ {t('newRecord')}</Link>
      </div>
      {refusal && (
        <div class="alert" role="alert" data-testid="refusal">
          <b>{refusal.title}</b>
          <ul>{[...new Set(refusal.reasons)].map((reason) => <li key={reason}>{reason}</li>)}</ul>
        </div>
      )}
      {!board ? (
        <p class="muted">{t('loading')}</p>
      ) : (
        <div class="board">
          {board.stages.map((column) => (
            <div
              key={column.name}
              class={`column${over === column.name ? ' drop' : ''}`}
              data-stage={column.name}
              role="region"
              aria-label={loc(column.label, column.name)}
              onDragOver={(e) => { e.preventDefault(); setOver(column.name); }}
              onDragLeave={() => setOver(null)}
              onDrop={(e) => {
                e.preventDefault();
                setOver(null);
                if (dragging) void move(dragging, column.name);
                setDragging(null);
              }}
            >
              <header style={{ borderTop: `3px solid ${column.color ?? 'var(--line)'}` }}>
                <b>{loc(column.label, column.name)}</b> <span class="muted">{formatNumber(column.count)}</span>
                {amountField && column.sum !== null && <div class="sum">Σ {renderValue(amountField, column.sum)}</div>}
              </header>
              <ul>
                {[...column.items, ...(more[column.name]?.items ?? [])].map((card) => (
                  <li key={card._id} class="card" draggable data-testid="card" onDragStart={(e) => { e.dataTransfer?.setData('text/plain', card._id); setDragging(card); }} onDragEnd={() => setDragging(null)}>
                    <Link href={`/e/${entity.name}/${card._id}`}>{titleOf(entity, card)}</Link>
                    {entity.fields.filter((f) => f.type === 'reference' && typeof card[f.name] === 'object' && card[f.name] !== null).slice(0, 1).map((f) => (
                      <div key={f.name} class="muted">{renderValue(f, card[f.name])}</div>
                    ))}
                    {amountField && card[amountField.name] !== undefined && card[amountField.name] !== null && <div>{renderValue(amountField, card[amountField.name])}</div>}
                    <select aria-label={`${t('moveTo')} ${titleOf(entity, card)}`} value="" onChange={(e) => e.currentTarget.value && void move(card, e.currentTarget.value)}>
                      <option value="">{t('moveTo')}</option>
                      {stages.filter((s) => s.name !== column.name).map((s) => <option key={s.name} value={s.name}>{loc(s.label, s.name)}</option>)}
                    </select>
                  </li>
                ))}
              </ul>
              {(() => {
                const shown = column.items.length + (more[column.name]?.items.length ?? 0);
                const isExhausted = more[column.name] !== undefined && more[column.name]!.cursor === null;
                return shown < column.count && !isExhausted && (
                  <button type="button" class="btn" onClick={() => void showMore(column)}>{t('showMoreCards', { count: formatNumber(column.count - shown) })}</button>
                );
              })()}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
