/** The signed-in user's API tokens: list, create (the secret shown once), revoke. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post, request } from '../lib/api.ts';
import { formatDate, t } from '../lib/i18n.ts';

interface Token {
  _id: string;
  name: string;
  scopes: string[];
  createdAt?: string;
  expiresAt?: string;
  lastUsedAt?: string;
}

export function TokensPage() {
  const [items, setItems] = useState<Token[]>([]);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState('*');
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => void get<{ items: Token[] }>('/auth/tokens').then((d) => setItems(d.items)).catch(() => undefined);
  useEffect(refresh, []);
  const create = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const created = await post<{ token: string }>('/auth/tokens', { name, scopes: scopes.split(',').map((s) => s.trim()).filter(Boolean) });
      setSecret(created.body.token);
      setName('');
      refresh();
    } catch (caught) {
      setError(caught instanceof ApiError ? [caught.message, ...caught.errors.map((e) => `${e.path} ${e.message}`)].join(' · ') : t('errorGeneric'));
    }
  };
  return (
    <section aria-labelledby="tokens-title">
      <div class="page-head"><h1 id="tokens-title">{t('apiTokens')}</h1></div>
      {secret && <div class="alert ok" role="status">{t('tokenCreated')}<pre class="code" style="user-select:all;margin:6px 0 0">{secret}</pre></div>}
      {error && <div class="alert" role="alert">{error}</div>}
      <div class="cols-2">
        <table class="grid panel">
          <thead><tr><th>{t('name')}</th><th>{t('scopes')}</th><th>{t('lastUsed')}</th><th>{t('expires')}</th><th /></tr></thead>
          <tbody>
            {items.map((token) => (
              <tr key={token._id}>
                <td>{token.name}</td>
                <td class="muted">{token.scopes.join(', ')}</td>
                <td>{token.lastUsedAt ? formatDate(token.lastUsedAt, true) : '—'}</td>
                <td>{token.expiresAt ? formatDate(token.expiresAt, true) : t('never')}</td>
                <td><button type="button" class="ghost danger" onClick={() => void request('DELETE', `/auth/tokens/${token._id}`).then(refresh)}>{t('revoke')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        <form class="panel" onSubmit={create} style="display:grid;gap:8px;align-content:start">
          <label>{t('name')}<input required value={name} onInput={(e) => setName(e.currentTarget.value)} style="width:100%" /></label>
          <label>{t('scopes')}<input value={scopes} onInput={(e) => setScopes(e.currentTarget.value)} style="width:100%" /></label>
          <div><button class="primary" type="submit">{t('create')}</button></div>
        </form>
      </div>
    </section>
  );
}
