import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const fromRoot = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The authenticator app (DESIGN §13) written to dist/app: app.js (the Lit app, all six
 * languages), chunks/ (the QR decoder, loaded when a QR code is scanned), and sw.js, the service
 * worker, which imports nothing so that it stays one file. Budget (gzip, kB = 1000 B): app.js
 * and what it imports statically ≤ 60 kB.
 */
export const APP_INITIAL_BUDGET = 60_000;

type Chunk = { type: 'chunk'; code: string; imports: string[]; fileName: string };

function appBudget(): Plugin {
  return {
    name: 'veriframe:app-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((o) => o.type === 'chunk') as unknown as Chunk[];
      const byName = new Map(chunks.map((c) => [c.fileName, c]));
      const sw = byName.get('sw.js');
      if (sw && sw.imports.length > 0) this.error(`sw.js must import nothing (it imports ${sw.imports.join(', ')})`);
      const initial = new Set<string>();
      const visit = (name: string) => {
        if (initial.has(name)) return;
        initial.add(name);
        for (const i of byName.get(name)?.imports ?? []) visit(i);
      };
      visit('app.js');
      const total = [...initial].reduce((sum, n) => sum + gzipSync(byName.get(n)!.code).length, 0);
      const line = `authenticator app initial load: ${(total / 1000).toFixed(2)} kB gzip (budget ${APP_INITIAL_BUDGET / 1000} kB)`;
      if (total > APP_INITIAL_BUDGET) this.error(`${line}: over budget by ${total - APP_INITIAL_BUDGET} B`);
      this.environment.logger.info(`veriframe size ${line}`);
    },
  };
}

export default defineConfig({
  publicDir: false,
  plugins: [appBudget()],
  build: {
    outDir: fromRoot('./dist/app'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    lib: {
      entry: { app: fromRoot('./app/src/main.ts'), sw: fromRoot('./app/src/sw.ts') },
      formats: ['es'],
      fileName: (_f, name) => `${name}.js`,
    },
    rolldownOptions: { output: { minify: true, chunkFileNames: 'chunks/[name]-[hash].js' } },
  },
});
