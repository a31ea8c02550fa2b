import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const fromRoot = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The admin web console (DESIGN §11) written to dist/console: console.js, the shell (Lit, router,
 * sign-in, API client, catalogue), and one lazily loaded chunk per page (and shared chunks) under chunks/.
 * Budgets (gzip, kB = 1000 B): what the browser loads before the first page (console.js and
 * every chunk it imports statically) ≤ 80 kB; each lazily loaded chunk ≤ 30 kB.
 */
export const CONSOLE_INITIAL_BUDGET = 80_000;
export const CONSOLE_CHUNK_BUDGET = 30_000;
const ENTRY = 'console.js';

type Chunk = { type: 'chunk'; code: string; imports: string[]; fileName: string };

function consoleBudget(): Plugin {
  return {
    name: 'veriframe:console-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((o): o is typeof o & Chunk => o.type === 'chunk') as unknown as Chunk[];
      const byName = new Map(chunks.map((c) => [c.fileName, c]));
      const initial = new Set<string>();
      const visit = (name: string) => {
        if (initial.has(name)) return;
        initial.add(name);
        for (const i of byName.get(name)?.imports ?? []) visit(i);
      };
      visit(ENTRY);
      const gz = (name: string) => gzipSync(byName.get(name)!.code).length;
      const total = [...initial].reduce((sum, n) => sum + gz(n), 0);
      const line = `console initial load (${[...initial].join(', ')}): ${(total / 1000).toFixed(2)} kB gzip (budget ${CONSOLE_INITIAL_BUDGET / 1000} kB)`;
      if (total > CONSOLE_INITIAL_BUDGET) this.error(`${line}: over budget by ${total - CONSOLE_INITIAL_BUDGET} B`);
      this.environment.logger.info(`veriframe size ${line}`);
      for (const c of chunks) {
        if (initial.has(c.fileName)) continue;
        const size = gz(c.fileName);
        if (size > CONSOLE_CHUNK_BUDGET) this.error(`${c.fileName}: ${size} B gzip, over the page budget of ${CONSOLE_CHUNK_BUDGET} B`);
      }
    },
  };
}

export default defineConfig({
  publicDir: false,
  plugins: [consoleBudget()],
  build: {
    outDir: fromRoot('./dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    lib: { entry: { console: fromRoot('./console/src/main.ts') }, formats: ['es'], fileName: (_f, name) => `${name}.js` },
    rolldownOptions: { output: { minify: true, chunkFileNames: 'chunks/[name]-[hash].js' } },
  },
});
