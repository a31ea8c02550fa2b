import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const fromRoot = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Widget bundles written to dist/widget (DESIGN.md §1, §7; budgets in §7.2, gzip):
 *   frame.js  the Lit app inside the iframe, ES module, ≤ 25 kB including Lit
 *   embed.js  the loader site owners include, IIFE, no Lit, ≤ 3 kB — NOT built yet
 *
 * Adding embed.js (later issue): its source goes in widget/src/embed/. Library mode cannot emit
 * IIFE for several entries in one build, so it needs its own build pass rather than a second
 * key in `lib.entry`: e.g. `environments: { embed: { build: { lib: { entry: entries.embed,
 * formats: ['iife'], name: 'veriframe', fileName: () => 'embed.js' }, emptyOutDir: false } } }`
 * plus `builder: {}` so `vite build` runs every environment, with the frame build first (it is
 * the one that empties dist/widget).
 */
const entries = {
  frame: fromRoot('./widget/src/frame/main.ts'),
  // embed: fromRoot('./widget/src/embed/embed.ts'),
} as const;

export default defineConfig({
  publicDir: false,
  build: {
    outDir: fromRoot('./dist/widget'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    lib: {
      entry: { frame: entries.frame },
      formats: ['es'],
      fileName: (_format, entryName) => `${entryName}.js`,
    },
    rolldownOptions: {
      // Vite keeps whitespace in ES library builds (meant for packages that are bundled again);
      // frame.js is served to browsers as is, so minify it fully.
      output: { minify: true },
    },
  },
});
