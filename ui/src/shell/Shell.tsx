/**
 * The frame around every page: navigation built from the entities the user
 * may read, the notifications bell and the user's menu (language, theme,
 * sign-out).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { loc, locale, setLocale, t, type Locale } from '../lib/i18n.ts';
import { entities } from '../lib/meta.ts';
import { route } from '../lib/router.ts';
import { me, signOut } from '../lib/session.ts';
import { applyTheme, theme, type Theme } from '../lib/theme.ts';
import { Bell } from './Bell.tsx';
import { Dropdown } from './Dropdown.tsx';
import { Link } from './Link.tsx';

function UserMenu() {
  const user = me.value?.user;
  return (
    <Dropdown label={<span>{user?.name ?? user?.email} ▾</span>} title={t('menu')}>
      {() => (
        <div style="display:grid;gap:8px;min-width:220px">
          <div class="muted">{t('signedInAs', { name: user?.email ?? '' })}</div>
          <label>
            {t('language')}{' '}
            <select name="locale" value={locale.value} onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
              <option value="en">English</option>
              <option value="ru">Русский</option>
            </select>
          </label>
          <label>
            {t('theme')}{' '}
            <select name="theme" value={theme.value} onChange={(e) => applyTheme(e.currentTarget.value as Theme)}>
              <option value="system">{t('themeSystem')}</option>
              <option value="light">{t('themeLight')}</option>
              <option value="dark">{t('themeDark')}</option>
            </select>
          </label>
          <button type="button" onClick={() => void signOut()}>{t('signOut')}</button>
        </div>
      )}
    </Dropdown>
  );
}

export function Shell(props: { children: ComponentChildren }) {
  const [isNavOpen, setNavOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const path = route.value.path;
  const isFirst = useRef(true);
  // After a client-side navigation focus moves to the new page, as a full page load would.
  useEffect(() => {
    if (isFirst.current) {
      isFirst.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
  }, [path]);
  const navEntities = entities.value.filter((entity) => !entity.system).sort((a, b) => loc(a.pluralLabel ?? a.label).localeCompare(loc(b.pluralLabel ?? b.label), locale.value));
  return (
    <div class={`layout${isNavOpen ? ' nav-open' : ''}`} onClick={(e) => isNavOpen && (e.target as HTMLElement).closest('a') && setNavOpen(false)}>
      <a class="skip" href="#main">{t('skipToContent')}</a>
      <nav class="sidebar" aria-label={t('records')}>
        <div class="brand"><i aria-hidden="true" />{t('appName')}</div>
        <ul class="nav">
          <li><Link href="/my-day" isNav>{t('myDay')}</Link></li>
        </ul>
        <div class="nav-title">{t('records')}</div>
        <ul class="nav">
          {navEntities.map((entity) => (
            <li key={entity.name}>
              <Link href={`/e/${entity.name}`} isNav>{loc(entity.pluralLabel ?? entity.label, entity.name)}</Link>
            </li>
          ))}
        </ul>
        {me.value?.isAdmin && (
          <>
            <div class="nav-title">{t('admin')}</div>
            <ul class="nav">
              <li><Link href="/admin/entities" isNav>{t('entities')}</Link></li>
              <li><Link href="/e/user" isNav>{t('users')}</Link></li>
              <li><Link href="/admin/roles" isNav>{t('roles')}</Link></li>
              <li><Link href="/admin/directions" isNav>{t('directions')}</Link></li>
              <li><Link href="/admin/pipelines" isNav>{t('pipelines')}</Link></li>
              <li><Link href="/admin/rules" isNav>{t('rules')}</Link></li>
            </ul>
          </>
        )}
        <ul class="nav sidebar-foot">
          <li><Link href="/admin/tokens" isNav>{t('apiTokens')}</Link></li>
        </ul>
      </nav>
      <div class="main">
        <header class="topbar">
          <button type="button" class="ghost only-narrow" aria-label={t('navigation')} aria-expanded={isNavOpen} onClick={() => setNavOpen(!isNavOpen)}>☰</button>
          <div class="spacer" />
          <Bell />
          <UserMenu />
        </header>
        <main id="main" class="content" tabIndex={-1} ref={main}>
          {props.children}
        </main>
      </div>
    </div>
  );
}
