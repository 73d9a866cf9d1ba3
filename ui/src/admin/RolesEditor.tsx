/**
 * Roles: a permission matrix (entity × action) per role, all-directions and
 * administrator flags; saved with If-Match on the role's revision. Long-form
 * permissions (own records, field restrictions) keep their extra settings.
 */
import { useEffect, useState } from 'preact/hooks';
import type { EntityPermission, RoleAction, RoleDefinition } from '../../../core/metadata/types.ts';
import { ApiError, get, post, request } from '../lib/api.ts';
import { loc, t } from '../lib/i18n.ts';
import { entities } from '../lib/meta.ts';

const ACTIONS: RoleAction[] = ['read', 'create', 'update', 'delete', 'import', 'export', 'transition'];

function actionsOf(permission: EntityPermission | undefined): RoleAction[] {
  if (!permission) return [];
  return Array.isArray(permission) ? permission : permission.actions;
}

function withActions(permission: EntityPermission | undefined, actions: RoleAction[]): EntityPermission {
  return permission && !Array.isArray(permission) ? { ...permission, actions } : actions;
}

export function RolesEditor() {
  const [roles, setRoles] = useState<RoleDefinition[]>([]);
  const [current, setCurrent] = useState<RoleDefinition | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = (select?: string) =>
    void get<{ items: RoleDefinition[] }>('/meta/roles').then((d) => {
      setRoles(d.items);
      const chosen = d.items.find((r) => r.name === (select ?? current?.name)) ?? d.items[0] ?? null;
      setCurrent(chosen ? structuredClone(chosen) : null);
    });
  useEffect(() => refresh(), []);

  const toggle = (entity: string, action: RoleAction) => {
    if (!current) return;
    const have = actionsOf(current.permissions[entity]);
    const next = have.includes(action) ? have.filter((a) => a !== action) : [...have, action];
    const permissions = { ...current.permissions };
    if (next.length === 0 && Array.isArray(permissions[entity] ?? [])) delete permissions[entity];
    else permissions[entity] = withActions(permissions[entity], next);
    setCurrent({ ...current, permissions });
  };
  const save = async () => {
    if (!current) return;
    setError(null);
    try {
      const { revision, name, ...patch } = current;
      await request('PATCH', `/meta/roles/${name}`, { body: patch, ifMatch: revision ?? null });
      setNotice(t('saved'));
      refresh(name);
    } catch (caught) {
      setError(caught instanceof ApiError ? [caught.message, ...caught.errors.map((e) => `${e.path} ${e.message}`)].join(' · ') : t('errorGeneric'));
    }
  };
  const create = async () => {
    const name = window.prompt(t('fieldName'));
    if (!name) return;
    try {
      await post('/meta/roles', { name, label: { en: name }, permissions: {} });
      refresh(name);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('errorGeneric'));
    }
  };

  return (
    <section aria-labelledby="roles-title">
      <div class="page-head">
        <h1 id="roles-title">{t('roles')}</h1>
        <select aria-label={t('roles')} value={current?.name ?? ''} onChange={(e) => refresh(e.currentTarget.value)}>
          {roles.map((r) => <option key={r.name} value={r.name}>{loc(r.label, r.name)}</option>)}
        </select>
        <button type="button" onClick={() => void create()}>+ {t('newRole')}</button>
        <span class="spacer" />
        <button type="button" class="primary" onClick={() => void save()} disabled={!current}>{t('save')}</button>
      </div>
      {error && <div class="alert" role="alert">{error}</div>}
      {notice && <div class="alert ok" role="status">{notice}</div>}
      {current && (
        <div class="panel">
          <div class="toolbar">
            <label><input type="checkbox" checked={current.isAdmin === true} onChange={() => setCurrent({ ...current, isAdmin: !current.isAdmin })} /> {t('isAdminRole')}</label>
            <label><input type="checkbox" checked={current.allDirections === true} onChange={() => setCurrent({ ...current, allDirections: !current.allDirections })} /> {t('allDirections')}</label>
          </div>
          <table class="grid">
            <caption class="muted" style="text-align:left">{t('permissions')}</caption>
            <thead><tr><th scope="col">{t('entities')}</th>{ACTIONS.map((a) => <th key={a} scope="col">{a}</th>)}</tr></thead>
            <tbody>
              {[{ name: '*', label: { en: '* (all)', ru: '* (все)' } }, ...entities.value].map((entity) => (
                <tr key={entity.name}>
                  <th scope="row">{loc(entity.label, entity.name)}</th>
                  {ACTIONS.map((action) => (
                    <td key={action}>
                      <input type="checkbox" aria-label={`${entity.name} ${action}`} checked={actionsOf(current.permissions[entity.name]).includes(action)} onChange={() => toggle(entity.name, action)} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
