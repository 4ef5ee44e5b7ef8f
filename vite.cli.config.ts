import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The CLI as one bundled ES module (out/cli/foresight.js) with its two worker entry points beside
// it, where src/app/jobs/runner.ts and src/domain/ingest/csv-in-worker.ts look for them. A bundle
// starts in about a tenth of the time Node needs to find, read and type-strip ~250 source modules.
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      external: [
        'better-sqlite3',
        'electron',
        'electron-store',
        '@electric-sql/pglite',
        'pg',
        'pg-copy-streams',
        /^node:/,
        /\/bench\//,
      ],
      input: {
        foresight: resolve(import.meta.dirname, 'src/cli/main.ts'),
        'domain-worker': resolve(import.meta.dirname, 'src/app/jobs/worker.ts'),
        'csv-worker': resolve(import.meta.dirname, 'src/domain/ingest/csv-worker.ts'),
      },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
  ssr: { noExternal: true, target: 'node' },
  logLevel: 'warn',
});
