import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const fromRoot = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Widget bundles written to dist/widget (DESIGN.md §1, §7; budgets in §7.2, gzip):
 *   frame.js  the Lit app inside the iframe, ES module, ≤ 25 kB including Lit
 *   embed.js  the loader site owners include, IIFE, no Lit, ≤ 3 kB
 *   portal.js the self-service portal page (DESIGN §12), ES module, ≤ 40 kB, all six languages
 *
 * Library mode cannot emit IIFE for several entries in one build, so embed.js is its own
 * environment (`builder: {}` makes `vite build` run every environment). The frame build is the
 * `client` environment and runs first: it is the one that empties dist/widget.
 */
const entries = {
  frame: fromRoot('./widget/src/frame/main.ts'),
  embed: fromRoot('./widget/src/embed/embed.ts'),
  portal: fromRoot('./portal/src/main.ts'),
} as const;

/** gzip budgets in bytes (kB = 1000 B, as Vite prints sizes). */
const budgets: Record<string, number> = { 'frame.js': 25_000, 'embed.js': 3_000, 'portal.js': 40_000 };

/** Prints each bundle's gzip size and fails the build when one is over its budget. */
function sizeBudget(): Plugin {
  return {
    name: 'veriframe:size-budget',
    apply: 'build',
    writeBundle(_options, bundle) {
      for (const [fileName, output] of Object.entries(bundle)) {
        const budget = budgets[fileName];
        if (budget === undefined || output.type !== 'chunk') continue;
        const gzip = gzipSync(output.code).length;
        const line = `${fileName}: ${(gzip / 1000).toFixed(2)} kB gzip (budget ${budget / 1000} kB)`;
        if (gzip > budget) this.error(`${line}: over budget by ${gzip - budget} B`);
        this.environment.logger.info(`veriframe size ${line}`);
      }
    },
  };
}

export default defineConfig({
  publicDir: false,
  plugins: [sizeBudget()],
  builder: {},
  build: {
    outDir: fromRoot('./dist/widget'),
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      // Vite keeps whitespace in ES library builds (meant for packages that are bundled again);
      // these files are served to browsers as they are, so minify them fully.
      output: { minify: true },
    },
  },
  environments: {
    client: {
      build: {
        emptyOutDir: true,
        lib: {
          entry: { frame: entries.frame },
          formats: ['es'],
          fileName: (_format, entryName) => `${entryName}.js`,
        },
      },
    },
    portal: {
      consumer: 'client',
      build: {
        emptyOutDir: false,
        lib: {
          entry: { portal: entries.portal },
          formats: ['es'],
          fileName: (_format, entryName) => `${entryName}.js`,
        },
      },
    },
    embed: {
      consumer: 'client',
      build: {
        emptyOutDir: false,
        lib: {
          entry: entries.embed,
          // embed.ts exports nothing, so no global is declared; the name is only required by
          // the IIFE format. The API is window.veriframe, set by the loader itself.
          formats: ['iife'],
          name: 'veriframeEmbed',
          fileName: () => 'embed.js',
        },
      },
    },
  },
});
