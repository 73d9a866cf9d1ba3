/**
 * Saved list views. Personal views live in this browser's localStorage;
 * shared views are records of the system entity `savedView`
 * (metadata/system/entities/savedView.json), visible to everyone whose role
 * may read that entity and written by those who may create it.
 */
import { get, post, qs, request } from '../lib/api.ts';
import { entityByName } from '../lib/meta.ts';
import type { FilterState } from './filter-model.ts';

export interface ViewState {
  q: string;
  sort: string;
  filters: FilterState;
  columns: string[];
}

export interface SavedView {
  id: string;
  name: string;
  isShared: boolean;
  state: ViewState;
}

const SHARED_ENTITY = 'savedView';
const key = (entity: string) => `relata.views.${entity}`;

function personalViews(entity: string): SavedView[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(entity)) ?? '[]');
    return Array.isArray(parsed) ? (parsed as SavedView[]) : [];
  } catch {
    return [];
  }
}

export async function listViews(entity: string): Promise<SavedView[]> {
  const views = personalViews(entity);
  if (!entityByName(SHARED_ENTITY)) return views;
  try {
    const page = await get<{ items: Array<{ _id: string; name: string; state: ViewState }> }>(`/data/${SHARED_ENTITY}${qs({ filter: { entity }, sort: 'name', limit: 100, count: 'false' })}`);
    return [...views, ...page.items.map((item) => ({ id: item._id, name: item.name, isShared: true, state: item.state }))];
  } catch {
    return views;
  }
}

export async function saveView(entity: string, name: string, state: ViewState, isShared: boolean): Promise<SavedView> {
  if (isShared) {
    const created = await post<{ _id: string }>(`/data/${SHARED_ENTITY}`, { entity, name, state });
    return { id: created.body._id, name, isShared: true, state };
  }
  const view: SavedView = { id: `local-${Date.now().toString(36)}`, name, isShared: false, state };
  localStorage.setItem(key(entity), JSON.stringify([...personalViews(entity), view]));
  return view;
}

export async function deleteView(entity: string, view: SavedView): Promise<void> {
  if (view.isShared) await request('DELETE', `/data/${SHARED_ENTITY}/${view.id}`);
  else localStorage.setItem(key(entity), JSON.stringify(personalViews(entity).filter((v) => v.id !== view.id)));
}

export function canShareViews(): boolean {
  return entityByName(SHARED_ENTITY) !== undefined;
}
