/**
 * The signed-in user (`GET /auth/me`), sign-in and sign-out.
 */
import { signal } from '@preact/signals';
import { get, post, setUnauthenticatedHandler } from './api.ts';
import { loadEntities } from './meta.ts';

export interface Me {
  user: { _id: string; name: string; email: string; locale?: string; roles?: string[] };
  isAdmin: boolean;
}

/** undefined while unknown (first load), null when signed out. */
export const me = signal<Me | null | undefined>(undefined);

setUnauthenticatedHandler(() => {
  me.value = null;
});

export async function loadSession(): Promise<void> {
  try {
    const current = await get<Me>('/auth/me');
    await loadEntities();
    me.value = current;
  } catch {
    me.value = null;
  }
}

export async function signIn(email: string, password: string): Promise<void> {
  await post('/auth/login', { email, password });
  await loadSession();
}

export async function signOut(): Promise<void> {
  try {
    await post('/auth/logout');
  } finally {
    me.value = null;
  }
}
