/** The page around the generated form: new record, or edit an existing one. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, qs } from '../lib/api.ts';
import { loc, t } from '../lib/i18n.ts';
import { entityByName, titleOf } from '../lib/meta.ts';
import { navigate } from '../lib/router.ts';
import { RecordForm, type JsonRecord } from './RecordForm.tsx';

export function referenceExpand(entityName: string): string | undefined {
  const entity = entityByName(entityName);
  return entity?.fields.filter((f) => (f.type === 'reference' || f.type === 'references') && !f.retired).map((f) => f.name).join(',') || undefined;
}

export function FormPage(props: { entity: string; id?: string }) {
  const entity = entityByName(props.entity);
  const [record, setRecord] = useState<JsonRecord | null>(null);
  const [loadCount, setLoadCount] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!props.id) return;
    get<JsonRecord>(`/data/${props.entity}/${props.id}${qs({ expand: referenceExpand(props.entity) })}`)
      .then((r) => { setRecord(r); setLoadCount((n) => n + 1); })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : t('errorGeneric')));
  }, [props.entity, props.id]);
  if (!entity) return <p>{t('notFound')}</p>;
  if (error) return <div class="alert" role="alert">{error}</div>;
  if (props.id && !record) return <p class="muted">{t('loading')}</p>;
  const back = () => navigate(props.id ? `/e/${entity.name}/${props.id}` : `/e/${entity.name}`);
  return (
    <section>
      <div class="page-head">
        <h1>{record ? `${t('edit')}: ${titleOf(entity, record)}` : `${t('newRecord')}: ${loc(entity.label, entity.name)}`}</h1>
      </div>
      <RecordForm
        key={loadCount}
        entity={entity}
        record={record}
        onSaved={(saved) => navigate(`/e/${entity.name}/${saved._id}`)}
        onCancel={back}
        onReload={() => {
          void get<JsonRecord>(`/data/${props.entity}/${props.id}${qs({ expand: referenceExpand(props.entity) })}`).then((r) => { setRecord(r); setLoadCount((n) => n + 1); });
        }}
      />
    </section>
  );
}
