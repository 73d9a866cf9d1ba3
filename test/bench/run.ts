/**
 * `npm run bench [-- name …]`: runs every `test/bench/*.bench.ts` module in turn (or only those
 * whose file name contains one of the given names). Each module exports `run()` and prints its
 * own figures. Missed targets are printed, never turned into a failing exit code; only a
 * benchmark that crashed makes the exit code 1.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
  .sort();

function hasRun(mod: unknown): mod is { run: () => Promise<void> } {
  return typeof mod === 'object' && mod !== null && typeof (mod as { run?: unknown }).run === 'function';
}

const crashed: string[] = [];
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const started = performance.now();
  try {
    // Discovered at run time by file name: the one place a dynamic import is the point.
    const mod: unknown = await import(pathToFileURL(path.join(dir, file)).href);
    if (!hasRun(mod)) throw new Error(`${file} does not export async function run()`);
    await mod.run();
  } catch (err) {
    crashed.push(file);
    console.error(`${file} crashed:`, err);
  }
  console.log(`(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

if (files.length === 0) console.log(`no benchmark matches ${filters.join(', ')}`);
if (crashed.length > 0) console.error(`\ncrashed: ${crashed.join(', ')}`);
process.exitCode = crashed.length > 0 ? 1 : 0;
// A benchmark that leaves a socket or timer open must not hang the run.
setTimeout(() => {
  console.error('a benchmark left handles open; exiting anyway');
  process.exit();
}, 3000).unref();
