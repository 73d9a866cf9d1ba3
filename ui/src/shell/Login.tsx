import { useState } from 'preact/hooks';
import { ApiError } from '../lib/api.ts';
import { locale, setLocale, t } from '../lib/i18n.ts';
import { signIn } from '../lib/session.ts';

export function Login() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('signInFailed'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <div class="brand" style="padding:0"><i aria-hidden="true" /> <h1 id="login-title">{t('appName')}</h1></div>
        {error && <div class="alert" role="alert">{error}</div>}
        <label>
          {t('email')}
          <input type="email" name="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          {t('password')}
          <input type="password" name="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <button class="primary" type="submit" disabled={isBusy}>{t('signIn')}</button>
        <div class="muted">
          <button type="button" class="ghost" onClick={() => setLocale(locale.value === 'ru' ? 'en' : 'ru')}>{locale.value === 'ru' ? 'English' : 'Русский'}</button>
        </div>
      </form>
    </main>
  );
}
