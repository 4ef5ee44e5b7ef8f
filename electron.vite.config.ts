import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Native and ESM-only packages stay outside the bundle and load from node_modules at run time.
const external = ['better-sqlite3', 'electron-store', 'electron'];

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        external,
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          'domain-worker': resolve(import.meta.dirname, 'src/app/jobs/worker.ts'),
          // Found next to the bundle by src/domain/ingest/csv-in-worker.ts.
          'csv-worker': resolve(import.meta.dirname, 'src/domain/ingest/csv-worker.ts'),
          // Found next to the bundle by src/domain/risk/model/fit-in-worker.ts.
          'fit-worker': resolve(import.meta.dirname, 'src/domain/risk/model/fit-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        external: ['electron'],
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        // Sandboxed preloads cannot be ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      // Performance (docs/performance.md, "UI: first rows"): electron-vite does not minify by
      // default; the unminified 2.2 MB bundle's parse and evaluation sat in front of the first rows.
      minify: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    },
  },
});
