/**
 * Related lists: records of every entity with a reference field pointing at
 * this record (an organization's activities, employments, deals …), the
 * first 20 of each with their count and a "new" link preset to this record.
 */
import { useEffect, useState } from 'preact/hooks';
import type { EntityDefinition, FieldDefinition } from '../../../core/metadata/types.ts';
import { get, qs } from '../lib/api.ts';
import { renderValue } from '../lib/format.tsx';
import { formatNumber, loc, t } from '../lib/i18n.ts';
import { referencingFields, titleOf, visibleFields } from '../lib/meta.ts';
import { Link } from '../shell/Link.tsx';

type Row = Record<string, unknown> & { _id: string };

function RelatedList(props: { entity: EntityDefinition; via: FieldDefinition; id: string; refresh: number }) {
  const [page, setPage] = useState<{ items: Row[]; total?: number } | null>(null);
  const columns = visibleFields(props.entity).filter((f) => f.name !== props.via.name && f.name !== props.entity.titleField && !['longtext', 'json', 'references'].includes(f.type)).slice(0, 3);
  useEffect(() => {
    const filter = props.via.type === 'references' ? { [props.via.name]: { $in: [props.id] } } : { [props.via.name]: props.id };
    void get<{ items: Row[]; total?: number }>(`/data/${props.entity.name}${qs({ filter, limit: 20, sort: '-createdAt', expand: columns.filter((c) => c.type === 'reference').map((c) => c.name).join(',') || undefined })}`)
      .then(setPage)
      .catch(() => setPage({ items: [], total: 0 }));
  }, [props.entity.name, props.via.name, props.id, props.refresh]);
  if (!page || page.items.length === 0) return null;
  return (
    <div style="margin-bottom:12px">
      <h3>
        {loc(props.entity.pluralLabel ?? props.entity.label)} · {loc(props.via.label)} ({formatNumber(page.total ?? page.items.length)})
      </h3>
      <table class="grid">
        <tbody>
          {page.items.map((row) => (
            <tr key={row._id}>
              <td><Link href={`/e/${props.entity.name}/${row._id}`}>{titleOf(props.entity, row)}</Link></td>
              {columns.map((c) => <td key={c.name}>{renderValue(c, row[c.name])}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      {(page.total ?? 0) > page.items.length && (
        <Link href={`/e/${props.entity.name}`}>{t('open')} →</Link>
      )}
    </div>
  );
}

export function RelatedLists(props: { entity: string; id: string; refresh: number }) {
  const pairs = referencingFields(props.entity);
  if (pairs.length === 0) return <p class="muted">—</p>;
  return (
    <div>
      {pairs.map(({ entity, field }) => <RelatedList key={`${entity.name}:${field.name}`} entity={entity} via={field} id={props.id} refresh={props.refresh} />)}
    </div>
  );
}
