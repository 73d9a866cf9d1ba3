/** Business directions: the list and adding one. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post } from '../lib/api.ts';
import { loc, t, type LocalizedText } from '../lib/i18n.ts';

interface Direction {
  name: string;
  label: LocalizedText;
  isActive?: boolean;
}

export function DirectionsEditor() {
  const [items, setItems] = useState<Direction[]>([]);
  const [draft, setDraft] = useState({ name: '', en: '', ru: '' });
  const [error, setError] = useState<string | null>(null);
  const refresh = () => void get<{ items: Direction[] }>('/meta/directions').then((d) => setItems(d.items));
  useEffect(refresh, []);
  const create = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await post('/meta/directions', { name: draft.name, label: { en: draft.en, ...(draft.ru ? { ru: draft.ru } : {}) } });
      setDraft({ name: '', en: '', ru: '' });
      refresh();
    } catch (caught) {
      setError(caught instanceof ApiError ? [caught.message, ...caught.errors.map((e) => `${e.path} ${e.message}`)].join(' · ') : t('errorGeneric'));
    }
  };
  return (
    <section aria-labelledby="directions-title">
      <div class="page-head"><h1 id="directions-title">{t('directions')}</h1></div>
      <div class="cols-2">
        <table class="grid panel"><tbody>{items.map((d) => <tr key={d.name}><td>{loc(d.label, d.name)}</td><td class="faint">{d.name}</td><td>{d.isActive === false ? '—' : ''}</td></tr>)}</tbody></table>
        <form class="panel" onSubmit={create} style="display:grid;gap:8px;align-content:start">
          <h2>{t('newDirection')}</h2>
          {error && <div class="alert" role="alert">{error}</div>}
          <label>{t('fieldName')}<input required pattern="^[a-z][a-zA-Z0-9]*$" value={draft.name} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} style="width:100%" /></label>
          <label>{t('labelEn')}<input required value={draft.en} onInput={(e) => setDraft({ ...draft, en: e.currentTarget.value })} style="width:100%" /></label>
          <label>{t('labelRu')}<input value={draft.ru} onInput={(e) => setDraft({ ...draft, ru: e.currentTarget.value })} style="width:100%" /></label>
          <div><button class="primary" type="submit">{t('create')}</button></div>
        </form>
      </div>
    </section>
  );
}
