import { execFileSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { builtinsFromProcess } from './scripts/cli-builtins.ts';

// The CLI as an ES module entry (out/cli/foresight.js) with its three worker entry points beside it,
// where src/app/jobs/runner.ts, src/domain/ingest/csv-in-worker.ts and src/domain/risk/model/fit-in-worker.ts look for them. Each command is
// a chunk of its own (src/cli/commands/index.ts imports them on demand), so a command loads only
// what it uses; a bundle starts in a fraction of the time Node needs to type-strip the sources.

// The bench suite stays outside the bundle (`foresight bench` imports it from the checkout). Matched
// by its absolute folder, not by a /bench/ pattern, which would also match a checkout inside a
// folder named bench and leave every module unbundled.
const BENCH_DIR = `${resolve(import.meta.dirname, 'bench')}/`;

// The top-level help's list of commands, taken from the sources with every command loaded, so the
// bundle's `foresight --help` prints the same list without loading any command.
// Node 22 before 23.6 strips types only when asked.
const stripTypes = process.features.typescript ? [] : ['--experimental-strip-types', '--no-warnings'];
const commandSummary = execFileSync(
  process.execPath,
  [...stripTypes, resolve(import.meta.dirname, 'src/cli/command-summary.ts')],
  {
    encoding: 'utf8',
  },
).trim();

/**
 * out/cli/inputs.json: the checkout's files the bundle was built from. bin/foresight.mjs stats just
 * these to tell whether the bundle is stale (about 300 stats, instead of walking all of src/).
 */
function listInputs(): Plugin {
  return {
    name: 'foresight-cli-inputs',
    generateBundle(_options, bundle) {
      const inputs = new Set<string>();
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        for (const id of Object.keys(output.modules)) {
          const path = relative(import.meta.dirname, id);
          if (!id.startsWith('\0') && !path.startsWith('..') && !path.includes('node_modules')) inputs.add(path);
        }
      }
      this.emitFile({ type: 'asset', fileName: 'inputs.json', source: JSON.stringify([...inputs].sort()) });
    },
  };
}

// The commands users run most (hot.ts starts them without commander): their code in few chunks.
const HOT_COMMANDS = ['account', 'status', 'risks'] as const;
const SRC_DIR = `${resolve(import.meta.dirname, 'src')}/`;
const MAIN = resolve(import.meta.dirname, 'src/cli/main.ts');
/**
 * Source module id → the hot commands whose static imports reach it (not what main.ts loads itself;
 * libraries such as zod keep their own chunks, which other commands share).
 */
const hotUsers = new Map<string, string[]>();

/**
 * Fills hotUsers from the module graph once it is built. Why: by default each module goes into a
 * chunk shared by exactly the entries that reach it, and with 35 commands, 3 workers and the lazy
 * imports that made `foresight account` load 38 chunks and `status` 24; each chunk a process loads
 * costs about 0.2 ms of CPU (resolve, read, link), a few ms of a small command (issue 16). With the
 * groups below each loads about ten: what two or three of them share, then each one's own code.
 */
function hotGraph(): Plugin {
  return {
    name: 'foresight-cli-hot-graph',
    buildStart() {
      hotUsers.clear();
    },
    buildEnd() {
      const reach = (from: string) => {
        const seen = new Set([from]);
        const queue = [from];
        for (let id = queue.pop(); id !== undefined; id = queue.pop())
          for (const next of this.getModuleInfo(id)?.importedIds ?? [])
            if (!seen.has(next)) {
              seen.add(next);
              queue.push(next);
            }
        return seen;
      };
      const main = reach(MAIN);
      for (const name of HOT_COMMANDS)
        for (const id of reach(resolve(import.meta.dirname, `src/cli/run/${name}.ts`)))
          if (!main.has(id) && id.startsWith(SRC_DIR)) hotUsers.set(id, [...(hotUsers.get(id) ?? []), name]);
    },
  };
}

const hotGroups = [
  { name: 'hot-shared', test: (id: string) => (hotUsers.get(id)?.length ?? 0) > 1, priority: 2 },
  ...HOT_COMMANDS.map((name) => ({
    name: `hot-${name}`,
    test: (id: string) => hotUsers.get(id)?.join() === name,
    priority: 1,
  })),
];

/** The bundle's imports of Node's built-ins rewritten (scripts/cli-builtins.ts says why). */
function builtinsWithoutFacades(): Plugin {
  return {
    name: 'foresight-cli-builtins',
    renderChunk(code) {
      const rewritten = builtinsFromProcess(code);
      return rewritten === code ? null : { code: rewritten, map: null };
    },
  };
}

export default defineConfig({
  plugins: [listInputs(), builtinsWithoutFacades(), hotGraph()],
  define: { __FORESIGHT_COMMAND_SUMMARY__: commandSummary },
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      external: (id) =>
        ['better-sqlite3', 'electron', 'electron-store', '@electric-sql/pglite', 'pg', 'pg-copy-streams'].includes(
          id,
        ) ||
        id.startsWith('node:') ||
        id.startsWith(BENCH_DIR),
      input: {
        foresight: resolve(import.meta.dirname, 'src/cli/main.ts'),
        'domain-worker': resolve(import.meta.dirname, 'src/app/jobs/worker.ts'),
        'csv-worker': resolve(import.meta.dirname, 'src/domain/ingest/csv-worker.ts'),
        'fit-worker': resolve(import.meta.dirname, 'src/domain/risk/model/fit-worker.ts'),
      },
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        // Only the grouped modules themselves: their dependencies outside the groups (main.ts's
        // own) stay where the default chunking puts them, so `--help` loads none of these.
        codeSplitting: { groups: hotGroups, includeDependenciesRecursively: false },
      },
    },
  },
  ssr: { noExternal: true, target: 'node' },
  logLevel: 'warn',
});
