/**
 * Builds the UI when ui/dist is missing or older than its sources, so that
 * `npm start` and the browser tests never serve a stale SPA; a fresh build
 * costs nothing. Run as a script (`tsx ui/ensure-built.ts`) or imported.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const UI_DIR = fileURLToPath(new URL('.', import.meta.url));
const REPO_ROOT = join(UI_DIR, '..');

function newestMtime(path: string): number {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stats.mtimeMs);
}

export function isUiStale(): boolean {
  const built = statSync(join(UI_DIR, 'dist', 'index.html'), { throwIfNoEntry: false });
  if (!built) return true;
  const sources = [join(UI_DIR, 'src'), join(UI_DIR, 'index.html'), join(UI_DIR, 'vite.config.ts'), join(REPO_ROOT, 'package-lock.json')];
  return Math.max(...sources.map(newestMtime)) > built.mtimeMs;
}

export function ensureUiBuilt(options: { quiet?: boolean } = {}): void {
  if (!isUiStale()) return;
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(UI_DIR, 'vite.config.ts')], {
    cwd: REPO_ROOT,
    stdio: options.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) ensureUiBuilt();
