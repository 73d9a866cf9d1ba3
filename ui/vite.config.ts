/**
 * Vite build of the SPA into ui/dist, served by the API process at `/`.
 * JSX compiles to Preact's automatic runtime. The budget plugin prints every
 * emitted file with its gzipped size and fails the build when the initial
 * JavaScript (the entry chunk and its static imports) exceeds 150 KB gzipped.
 */
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const INITIAL_JS_BUDGET = 150 * 1024;

function bundleBudget(): Plugin {
  return {
    name: 'relata-bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const sizes = new Map<string, { raw: number; gzip: number }>();
      for (const [name, item] of Object.entries(bundle)) {
        const source = item.type === 'chunk' ? item.code : item.source;
        const bytes = typeof source === 'string' ? Buffer.from(source) : Buffer.from(source);
        sizes.set(name, { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
      }
      const initial = new Set<string>();
      const visit = (name: string) => {
        const chunk = bundle[name];
        if (initial.has(name) || !chunk || chunk.type !== 'chunk') return;
        initial.add(name);
        for (const dep of chunk.imports) visit(dep);
      };
      for (const [name, item] of Object.entries(bundle)) if (item.type === 'chunk' && item.isEntry) visit(name);
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      const lines = [...sizes].sort(([a], [b]) => a.localeCompare(b)).map(([name, s]) => `  ${name.padEnd(40)} ${kb(s.raw).padStart(10)}  gzip ${kb(s.gzip).padStart(9)}${initial.has(name) ? '  (initial)' : ''}`);
      const initialGzip = [...initial].reduce((sum, name) => sum + (sizes.get(name)?.gzip ?? 0), 0);
      process.stdout.write(`\nRelata UI bundle:\n${lines.join('\n')}\n  initial JavaScript: ${kb(initialGzip)} gzipped (budget ${kb(INITIAL_JS_BUDGET)})\n`);
      if (initialGzip > INITIAL_JS_BUDGET) this.error(`initial JavaScript is ${kb(initialGzip)} gzipped, over the ${kb(INITIAL_JS_BUDGET)} budget`);
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [bundleBudget()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
