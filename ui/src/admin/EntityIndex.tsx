/** Every entity, with a link to its designer, and creating a new one. */
import { useState } from 'preact/hooks';
import { ApiError, post } from '../lib/api.ts';
import { loc, t } from '../lib/i18n.ts';
import { entities, loadEntities } from '../lib/meta.ts';
import { navigate } from '../lib/router.ts';
import { Link } from '../shell/Link.tsx';

export function EntityIndex() {
  const [name, setName] = useState('');
  const [labelEn, setLabelEn] = useState('');
  const [labelRu, setLabelRu] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await post('/meta/entities', {
        name,
        label: { en: labelEn, ...(labelRu ? { ru: labelRu } : {}) },
        titleField: 'name',
        searchable: ['name'],
        features: { owner: true, history: true },
        fields: [{ name: 'name', type: 'text', label: { en: 'Name', ru: 'Название' }, required: true, maxLength: 300 }],
      });
      await loadEntities();
      navigate(`/admin/entities/${name}`);
    } catch (caught) {
      setError(caught instanceof ApiError ? [caught.message, ...caught.errors.map((e) => `${e.path} ${e.message}`)].join(' · ') : t('errorGeneric'));
    }
  };
  return (
    <section aria-labelledby="entities-title">
      <div class="page-head"><h1 id="entities-title">{t('entities')}</h1></div>
      <div class="cols-2">
        <table class="grid panel">
          <tbody>
            {entities.value.map((entity) => (
              <tr key={entity.name}>
                <td><Link href={`/admin/entities/${entity.name}`}>{loc(entity.label, entity.name)}</Link></td>
                <td class="faint">{entity.name}</td>
                <td class="muted">{entity.fields.filter((f) => !f.retired).length} · {t('fields').toLowerCase()}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <form class="panel" onSubmit={create} style="display:grid;gap:8px;align-content:start">
          <h2>{t('newEntity')}</h2>
          {error && <div class="alert" role="alert">{error}</div>}
          <label>{t('entityName')}<input required pattern="^[a-z][a-zA-Z0-9]*$" value={name} onInput={(e) => setName(e.currentTarget.value)} style="width:100%" /></label>
          <label>{t('labelEn')}<input required value={labelEn} onInput={(e) => setLabelEn(e.currentTarget.value)} style="width:100%" /></label>
          <label>{t('labelRu')}<input value={labelRu} onInput={(e) => setLabelRu(e.currentTarget.value)} style="width:100%" /></label>
          <div><button class="primary" type="submit">{t('create')}</button></div>
        </form>
      </div>
    </section>
  );
}
