/**
 * The list of any entity: columns from its fields, sort by header, filters,
 * full-text search, keyset paging (`nextCursor`, loaded as the table is
 * scrolled: never everything), row selection with bulk actions, saved views.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { EntityDefinition, FieldDefinition } from '../../../core/metadata/types.ts';
import { ReferencePicker, type PickedRecord } from '../form/ReferencePicker.tsx';
import { ApiError, get, post, qs } from '../lib/api.ts';
import { isNumericField, renderValue } from '../lib/format.tsx';
import { formatNumber, loc, t } from '../lib/i18n.ts';
import { entityByName, visibleFields } from '../lib/meta.ts';
import { navigate } from '../lib/router.ts';
import { Dropdown } from '../shell/Dropdown.tsx';
import { Link } from '../shell/Link.tsx';
import { downloadCsv } from './csv.ts';
import { buildFilter } from './filter-model.ts';
import { Filters } from './Filters.tsx';
import { ViewPicker } from './ViewPicker.tsx';
import type { ViewState } from './views.ts';

type Row = Record<string, unknown> & { _id: string };
const PAGE = 50;
/** Past this many loaded rows only those near the viewport are rendered (fixed row height, spacer rows). */
const WINDOW_FROM = 200;
const ROW_HEIGHT = 33;

/** The title, then the entity's key attributes (its summary fields) or else its first short fields. */
function defaultColumns(entity: EntityDefinition | undefined, fields: FieldDefinition[]): string[] {
  const shown = fields.filter((f) => f.type !== 'longtext' && f.type !== 'json' && f.name !== 'direction' && f.name !== entity?.titleField);
  const keys = entity?.summary?.fields?.filter((name) => shown.some((f) => f.name === name)) ?? [];
  const rest = keys.length > 0 ? keys : shown.map((f) => f.name);
  return [...(entity?.titleField ? [entity.titleField] : []), ...rest].slice(0, 8);
}

export function ListView(props: { entity: string }) {
  const entity = entityByName(props.entity);
  const fields = useMemo(() => (entity ? visibleFields(entity) : []), [entity]);
  const [view, setView] = useState<ViewState>(() => ({ q: '', sort: '-createdAt', filters: {}, columns: defaultColumns(entity, fields) }));
  const [rows, setRows] = useState<Row[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [isLoading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [isFiltersOpen, setFiltersOpen] = useState(false);
  const [searchText, setSearchText] = useState('');
  const seq = useRef(0);
  const sentinel = useRef<HTMLDivElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: 0, height: 800 });

  const columns = view.columns.map((name) => fields.find((f) => f.name === name)).filter((f): f is FieldDefinition => f !== undefined);
  const filter = buildFilter(fields, view.filters);
  const baseQuery = {
    filter,
    q: view.q || undefined,
    sort: view.sort,
    limit: PAGE,
    expand: columns.filter((c) => c.type === 'reference' || c.type === 'references').map((c) => c.name).join(',') || undefined,
  };
  const queryKey = JSON.stringify(baseQuery);

  const load = async (after: string | null) => {
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const page = await get<{ items: Row[]; total?: number; nextCursor: string | null }>(`/data/${props.entity}${qs({ ...baseQuery, cursor: after ?? undefined, count: after ? 'false' : undefined })}`);
      if (mine !== seq.current) return;
      setRows((current) => (after ? [...current, ...page.items] : page.items));
      if (!after) setTotal(page.total ?? null);
      setCursor(page.nextCursor);
    } catch (caught) {
      if (mine === seq.current) setError(caught instanceof ApiError ? caught.message : t('errorGeneric'));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  };

  useEffect(() => {
    setSelected(new Set());
    const timer = setTimeout(() => void load(null), 120);
    return () => clearTimeout(timer);
  }, [queryKey, props.entity]);

  // Next page when the end of the table scrolls into view.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !cursor) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !isLoading && cursor) void load(cursor);
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [cursor, isLoading]);

  useEffect(() => {
    const timer = setTimeout(() => setView((v) => (v.q === searchText ? v : { ...v, q: searchText })), 250);
    return () => clearTimeout(timer);
  }, [searchText]);

  if (!entity) return <p>{t('notFound')}</p>;

  const isWindowed = rows.length > WINDOW_FROM;
  const first = isWindowed ? Math.max(0, Math.floor(scroll.top / ROW_HEIGHT) - 30) : 0;
  const last = isWindowed ? Math.min(rows.length, first + Math.ceil(scroll.height / ROW_HEIGHT) + 60) : rows.length;
  const onScroll = () => {
    const element = wrap.current;
    if (element && isWindowed) requestAnimationFrame(() => setScroll({ top: element.scrollTop, height: element.clientHeight }));
  };

  const toggleSort = (name: string) => setView({ ...view, sort: view.sort === name ? `-${name}` : name });
  const sortState = (name: string) => (view.sort === name ? 'ascending' : view.sort === `-${name}` ? 'descending' : undefined);
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r._id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  const runBulk = async (operations: Array<Record<string, unknown>>) => {
    try {
      const result = await post<{ succeeded: number; failed: number }>(`/data/${props.entity}/bulk`, { operations });
      setNotice(t('bulkDone', { ok: result.body.succeeded, failed: result.body.failed }));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('errorGeneric'));
    }
    setSelected(new Set());
    void load(null);
  };
  const bulkDelete = () => {
    if (!window.confirm(t('confirmDelete', { count: selected.size }))) return;
    void runBulk([...selected].map((id) => ({ op: 'delete', id })));
  };
  const bulkReassign = (owner: PickedRecord | null) => {
    if (owner) void runBulk([...selected].map((id) => ({ op: 'update', id, data: { owner: owner.id } })));
  };

  return (
    <section aria-labelledby="list-title">
      <div class="page-head">
        <h1 id="list-title">{loc(entity.pluralLabel ?? entity.label, entity.name)}</h1>
        {total !== null && <span class="muted" data-testid="list-count">{t('shownOf', { shown: formatNumber(rows.length), total: formatNumber(total) })}</span>}
        <span class="spacer" />
        {entity.features?.pipeline && <Link class="btn" href={`/board/${entity.name}`}>{t('board')}</Link>}
        <Link class="btn primary" href={`/e/${entity.name}/new`}>+ {t('newRecord')}</Link>
      </div>
      <div class="toolbar">
        <input type="search" aria-label={t('search')} placeholder={t('searchPlaceholder')} value={searchText} onInput={(e) => setSearchText(e.currentTarget.value)} style="width:240px" />
        <button type="button" aria-expanded={isFiltersOpen} onClick={() => setFiltersOpen(!isFiltersOpen)}>
          {t('filters')}{filter ? ` (${Object.keys(filter).length})` : ''}
        </button>
        <Dropdown label={t('columns')} title={t('columns')} class="">
          {() => (
            <div style="display:grid;gap:2px;max-height:300px;overflow:auto">
              {fields.map((field) => (
                <label key={field.name} style="display:flex;gap:6px;align-items:center;white-space:nowrap">
                  <input
                    type="checkbox"
                    checked={view.columns.includes(field.name)}
                    onChange={() => setView({ ...view, columns: view.columns.includes(field.name) ? view.columns.filter((c) => c !== field.name) : [...view.columns, field.name] })}
                  />
                  {loc(field.label, field.name)}
                </label>
              ))}
            </div>
          )}
        </Dropdown>
        <ViewPicker entity={entity.name} state={view} onApply={(state) => { setView(state); setSearchText(state.q); }} />
      </div>
      {isFiltersOpen && <Filters fields={fields} state={view.filters} onChange={(filters) => setView({ ...view, filters })} />}
      {selected.size > 0 && (
        <div class="bulkbar" role="region" aria-label={t('selected', { count: selected.size })}>
          <b>{t('selected', { count: selected.size })}</b>
          <button type="button" class="danger" onClick={bulkDelete}>{t('deleteSelected')}</button>
          {entity.features?.owner && (
            <div style="width:220px">
              <ReferencePicker entity="user" label={t('reassign')} value={null} onChange={bulkReassign} />
            </div>
          )}
          <button type="button" onClick={() => downloadCsv(`${entity.name}.csv`, columns, rows.filter((r) => selected.has(r._id)))}>{t('export')}</button>
        </div>
      )}
      {error && <div class="alert" role="alert">{error}</div>}
      {notice && <div class="alert ok" role="status">{notice}</div>}
      <div class="table-wrap" ref={wrap} onScroll={onScroll}>
        <table class="grid" aria-labelledby="list-title" aria-rowcount={total ?? undefined}>
          <thead>
            <tr>
              <th class="check">
                <input type="checkbox" aria-label={t('selectAll')} checked={allSelected} onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r._id)))} />
              </th>
              {columns.map((field) => (
                <th key={field.name} aria-sort={sortState(field.name)} class={isNumericField(field) ? 'num' : undefined} scope="col">
                  <button type="button" aria-label={t('sortBy', { field: loc(field.label, field.name) })} onClick={() => toggleSort(field.name)}>
                    {loc(field.label, field.name)} {sortState(field.name) === 'ascending' ? '↑' : sortState(field.name) === 'descending' ? '↓' : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody class={isWindowed ? 'windowed' : undefined}>
            {first > 0 && <tr aria-hidden="true" style={{ height: `${first * ROW_HEIGHT}px` }} />}
            {rows.slice(first, last).map((row) => (
              <tr key={row._id} aria-selected={selected.has(row._id)}>
                <td class="check">
                  <input type="checkbox" aria-label={t('selectRow')} checked={selected.has(row._id)} onChange={() => toggle(row._id)} />
                </td>
                {columns.map((field, index) => (
                  <td key={field.name} class={isNumericField(field) ? 'num' : undefined}>
                    {index === 0 ? (
                      <a href={`/e/${entity.name}/${row._id}`} onClick={(e) => { e.preventDefault(); navigate(`/e/${entity.name}/${row._id}`); }}>
                        {renderValue(field, row[field.name]) || <span class="faint">#{row._id.slice(-6)}</span>}
                      </a>
                    ) : (
                      renderValue(field, row[field.name])
                    )}
                  </td>
                ))}
              </tr>
            ))}
            {last < rows.length && <tr aria-hidden="true" style={{ height: `${(rows.length - last) * ROW_HEIGHT}px` }} />}
          </tbody>
        </table>
        {!isLoading && rows.length === 0 && <p class="muted" style="padding:12px">{t('noRecords')}</p>}
        <div ref={sentinel} style="padding:8px;text-align:center">
          {isLoading ? <span class="muted">{t('loading')}</span> : cursor ? <button type="button" onClick={() => void load(cursor)}>{t('loadMore')}</button> : null}
        </div>
      </div>
    </section>
  );
}
