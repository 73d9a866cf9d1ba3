/** Names of users by id (history authors, timeline actors), fetched in one `$in` and cached; ids stay shown when users are not readable. */
import { signal } from '@preact/signals';
import { get, qs } from './api.ts';
import { entityByName } from './meta.ts';

export const userNames = signal<Record<string, string>>({});
const asked = new Set<string>();

export function requestUserNames(ids: Array<string | null | undefined>): void {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string' && /^[0-9a-f]{24}$/.test(id) && !asked.has(id)))];
  if (wanted.length === 0 || !entityByName('user')) return;
  for (const id of wanted) asked.add(id);
  void get<{ items: Array<{ _id: string; name?: string; email?: string }> }>(`/data/user${qs({ filter: { _id: { $in: wanted } }, fields: '_id,name,email', limit: wanted.length, count: 'false' })}`)
    .then((page) => {
      const next = { ...userNames.value };
      for (const user of page.items) next[user._id] = user.name ?? user.email ?? user._id;
      userNames.value = next;
    })
    .catch(() => undefined);
}

export function userName(id: string | null | undefined): string {
  if (!id) return '';
  return userNames.value[id] ?? `#${id.slice(-6)}`;
}
