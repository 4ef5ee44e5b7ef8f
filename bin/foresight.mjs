#!/usr/bin/env node
// Foresight's CLI runs its TypeScript sources directly on Node >= 22 (type stripping), so there is
// no build step between `npm install` and `npx foresight`. better-sqlite3 13 needs Node 22 or newer;
// on an older Node we hand over to the Node 24 that .ci/run installs into .tools/, when present.
// Built-ins through process.getBuiltinModule where Node has it (22.3): an `import` of one builds
// an ES module facade, and node:fs's loads Node's stream modules (a few ms of every small
// command, issue 16; the bundle's own imports are rewritten the same way, vite.cli.config.ts).
const builtin = async (name) => process.getBuiltinModule?.(name) ?? (await import(name)).default;
const { existsSync, readFileSync, statSync } = await builtin('node:fs');
const module = await builtin('node:module');
const { dirname, join } = await builtin('node:path');
const { fileURLToPath } = await builtin('node:url');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);

async function handOver(node, extraFlags = []) {
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync(node, [...extraFlags, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

if (major < 22) {
  const local = join(root, '.tools', 'node', 'node_modules', 'node', 'bin', 'node');
  if (existsSync(local)) await handOver(local);
  process.stderr.write(
    `Foresight needs Node.js 22 or newer, but this is ${process.version}; install Node 24 (for example "npm install --prefix .tools/node node@24").\n`,
  );
  process.exit(1);
} else if (!process.features.typescript) {
  await handOver(process.execPath, ['--experimental-strip-types', '--no-warnings']);
} else {
  const bundle = join(root, 'out', 'cli', 'foresight.js');
  // The bundle reads Node's built-ins with process.getBuiltinModule (Node 22.3; scripts/cli-builtins.ts).
  if (process.env.FORESIGHT_CLI_FROM_SOURCE !== '1' && process.getBuiltinModule && isCurrent(bundle)) {
    // The bundle (npm install builds it; so does npm run build) starts in about a tenth of the time
    // Node takes to type-strip the sources, and the compile cache saves most of the rest.
    module.enableCompileCache?.();
    await import(bundle);
  } else {
    await import(join(root, 'src', 'cli', 'main.ts'));
  }
}

/**
 * A bundle older than any of the source files it was built from (out/cli/inputs.json, written by the
 * build) is stale (a checkout, a merge, an edit): run the sources. Stats only those files, about
 * 350, rather than walking src/, which cost a small command tens of milliseconds. Their paths are
 * joined by hand: path.join, not yet optimised this early in the process, took 6 ms of CPU for them.
 */
function isCurrent(file) {
  const inputs = join(root, 'out', 'cli', 'inputs.json');
  if (!existsSync(file) || !existsSync(inputs)) return false;
  const builtAt = statSync(file).mtimeMs;
  const prefix = `${root}/`;
  return JSON.parse(readFileSync(inputs, 'utf8')).every(
    (path) => (statSync(prefix + path, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) <= builtAt,
  );
}
