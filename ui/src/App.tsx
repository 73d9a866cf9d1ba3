/**
 * The application: sign-in until a session exists, then the shell with the
 * page the current path names.
 */
import { useEffect } from 'preact/hooks';
import { AdminPage } from './admin/AdminPage.tsx';
import { BoardView } from './board/BoardView.tsx';
import { t } from './lib/i18n.ts';
import { entities } from './lib/meta.ts';
import { match, navigate, route } from './lib/router.ts';
import { loadSession, me } from './lib/session.ts';
import { ListView } from './list/ListView.tsx';
import { MyDay } from './myday/MyDay.tsx';
import { FormPage } from './form/FormPage.tsx';
import { RecordPage } from './record/RecordPage.tsx';
import { Login } from './shell/Login.tsx';
import { Shell } from './shell/Shell.tsx';

function Page() {
  const path = route.value.path;
  let params: Record<string, string> | null;
  if (path === '/' || path === '/my-day') return <MyDay />;
  if ((params = match('/e/:entity', path))) return <ListView key={params.entity} entity={params.entity!} />;
  if ((params = match('/e/:entity/new', path))) return <FormPage key={`${params.entity}:new`} entity={params.entity!} />;
  if ((params = match('/e/:entity/:id/edit', path))) return <FormPage key={`${params.entity}:${params.id}`} entity={params.entity!} id={params.id} />;
  if ((params = match('/e/:entity/:id', path))) return <RecordPage key={`${params.entity}:${params.id}`} entity={params.entity!} id={params.id!} />;
  if ((params = match('/board/:entity', path))) return <BoardView key={params.entity} entity={params.entity!} />;
  if (path === '/admin' || path.startsWith('/admin/')) return <AdminPage path={path} />;
  return <p>{t('notFound')}</p>;
}

export function App() {
  useEffect(() => {
    void loadSession();
  }, []);
  if (me.value === undefined) return <p class="content">{t('loading')}</p>;
  if (me.value === null) return <Login />;
  if (route.value.path === '/login') navigate('/', { replace: true });
  // read so the page re-renders when metadata changes
  void entities.value;
  return (
    <Shell>
      <Page />
    </Shell>
  );
}
