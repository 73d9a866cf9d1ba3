/** Light, dark, or following the system (the default); remembered per browser. */
import { signal } from '@preact/signals';

export type Theme = 'system' | 'light' | 'dark';
const KEY = 'relata.theme';

export const theme = signal<Theme>(((): Theme => {
  const stored = localStorage.getItem(KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
})());

export function applyTheme(next: Theme): void {
  theme.value = next;
  localStorage.setItem(KEY, next);
  if (next === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = next;
}
