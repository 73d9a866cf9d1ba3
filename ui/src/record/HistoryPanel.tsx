/** Field-level history of a record: who changed what, from and to. */
import { useEffect, useState } from 'preact/hooks';
import type { EntityDefinition } from '../../../core/metadata/types.ts';
import { get } from '../lib/api.ts';
import { renderValue } from '../lib/format.tsx';
import { formatDate, loc, t } from '../lib/i18n.ts';
import { visibleFields } from '../lib/meta.ts';
import { requestUserNames, userName } from '../lib/users.ts';

interface HistoryItem {
  id: string;
  op: string;
  version: number;
  at: string;
  by: string | null;
  rule?: string;
  changes: Array<{ field: string; from: unknown; to: unknown }>;
}

export function HistoryPanel(props: { entity: EntityDefinition; id: string; refresh: number }) {
  const [items, setItems] = useState<HistoryItem[] | null>(null);
  useEffect(() => {
    void get<{ items: HistoryItem[] }>(`/data/${props.entity.name}/${props.id}/history?limit=100`)
      .then((page) => {
        setItems(page.items);
        requestUserNames(page.items.map((i) => i.by));
      })
      .catch(() => setItems([]));
  }, [props.entity.name, props.id, props.refresh]);
  if (items === null) return <p class="muted">{t('loading')}</p>;
  if (items.length === 0) return <p class="muted">{t('noHistory')}</p>;
  const fields = visibleFields(props.entity);
  return (
    <ul class="timeline">
      {items.map((item) => (
        <li key={item.id}>
          <span class="dot" aria-hidden="true" />
          <div>
            <div>
              <b>{item.rule ?? userName(item.by)}</b> <span class="faint">· {formatDate(item.at, true)} · v{item.version}</span>
            </div>
            {item.op === 'create' && <div class="muted">{t('created')}</div>}
            <table class="grid" style="margin-top:4px">
              <tbody>
                {item.changes.filter((c) => item.op !== 'create' || c.to !== null).map((change) => {
                  const field = fields.find((f) => f.name === change.field);
                  return (
                    <tr key={change.field}>
                      <td class="muted">{field ? loc(field.label, field.name) : change.field}</td>
                      <td><s class="faint">{field ? renderValue(field, change.from) : String(change.from ?? '')}</s></td>
                      <td>→ {field ? renderValue(field, change.to) : String(change.to ?? '')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </li>
      ))}
    </ul>
  );
}
