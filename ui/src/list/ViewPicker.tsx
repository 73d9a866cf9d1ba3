/** Choosing, saving and deleting saved views of a list. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../lib/api.ts';
import { t } from '../lib/i18n.ts';
import { Dropdown } from '../shell/Dropdown.tsx';
import { canShareViews, deleteView, listViews, saveView, type SavedView, type ViewState } from './views.ts';

export function ViewPicker(props: { entity: string; state: ViewState; onApply: (state: ViewState) => void }) {
  const [views, setViews] = useState<SavedView[]>([]);
  const [name, setName] = useState('');
  const [isShared, setShared] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => void listViews(props.entity).then(setViews);
  useEffect(refresh, [props.entity]);
  return (
    <Dropdown label={t('views')} title={t('views')} class="">
      {(close) => (
        <div style="display:grid;gap:6px;min-width:260px">
          <ul class="menu" style="position:static;box-shadow:none;border:0;padding:0">
            {views.map((view) => (
              <li key={view.id} style="display:flex;gap:4px">
                <button type="button" onClick={() => { props.onApply(view.state); close(); }}>
                  {view.name} <span class="faint">· {view.isShared ? t('shared') : t('personal')}</span>
                </button>
                <button type="button" class="ghost" aria-label={`${t('deleteView')} ${view.name}`} style="width:auto" onClick={() => void deleteView(props.entity, view).then(refresh).catch((e: unknown) => setError(e instanceof ApiError ? e.message : t('errorGeneric')))}>×</button>
              </li>
            ))}
          </ul>
          <form
            style="display:grid;gap:6px"
            onSubmit={(e) => {
              e.preventDefault();
              if (!name.trim()) return;
              saveView(props.entity, name.trim(), props.state, isShared)
                .then(() => { setName(''); refresh(); })
                .catch((caught: unknown) => setError(caught instanceof ApiError ? caught.message : t('errorGeneric')));
            }}
          >
            <input aria-label={t('viewName')} placeholder={t('viewName')} value={name} onInput={(e) => setName(e.currentTarget.value)} />
            {canShareViews() && (
              <label style="display:flex;gap:6px;align-items:center">
                <input type="checkbox" checked={isShared} onChange={() => setShared(!isShared)} /> {t('sharedView')}
              </label>
            )}
            <button type="submit">{t('saveView')}</button>
            {error && <div class="alert" role="alert">{error}</div>}
          </form>
        </div>
      )}
    </Dropdown>
  );
}
