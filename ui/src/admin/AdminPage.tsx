/** Administration: routes to the designers and editors. */
import { match } from '../lib/router.ts';
import { t } from '../lib/i18n.ts';
import { me } from '../lib/session.ts';
import { DirectionsEditor } from './DirectionsEditor.tsx';
import { EntityDesigner } from './EntityDesigner.tsx';
import { EntityIndex } from './EntityIndex.tsx';
import { JsonDocuments } from './JsonDocuments.tsx';
import { RolesEditor } from './RolesEditor.tsx';
import { TokensPage } from './TokensPage.tsx';

export function AdminPage(props: { path: string }) {
  const { path } = props;
  if (path === '/admin/tokens') return <TokensPage />;
  if (!me.value?.isAdmin) return <div class="alert" role="alert">{t('forbidden')}</div>;
  let params: Record<string, string> | null;
  if ((params = match('/admin/entities/:name', path))) return <EntityDesigner key={params.name} name={params.name!} />;
  if (path === '/admin/roles') return <RolesEditor />;
  if (path === '/admin/directions') return <DirectionsEditor />;
  if (path === '/admin/pipelines') return <JsonDocuments kind="pipelines" />;
  if (path === '/admin/rules') return <JsonDocuments kind="rules" />;
  return <EntityIndex />;
}
