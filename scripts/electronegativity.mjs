// `npm run security:scan`: runs Electronegativity (Doyensec's Electron security scanner) over the
// main process, the preload and the renderer, and fails on any HIGH or MEDIUM finding that has no
// written justification in security/electronegativity-justifications.json. Part of `npm test`.
//
// Offline by design: Electronegativity fetches translations and Electron's release list from the
// network; both requests are answered locally so the scan is fast and deterministic.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
// --root and --justifications let a test point the gate at a fixture to prove it fails.
const { values: args } = parseArgs({ options: { root: { type: 'string' }, justifications: { type: 'string' } } });
const root = args.root ?? here;
const require = createRequire(join(here, 'package.json'));
const JUSTIFICATIONS = args.justifications ?? join(root, 'security', 'electronegativity-justifications.json');
const SCANNED = ['src/main', 'src/preload', 'src/renderer'];

// Answer the scanner's two network requests (translations, Electron releases) with "offline".
const scannerDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
const gotPath = createRequire(join(scannerDir, 'dist', 'runner.js')).resolve('got');
const offline = () =>
  Promise.reject(
    Object.assign(new Error('offline: electronegativity runs without network in this project'), { code: 'OFFLINE' }),
  );
const gotStub = Object.assign(offline, { head: offline, get: offline, default: undefined });
gotStub.default = gotStub;
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: gotStub };

const run = require('@doyensec/electronegativity');
const electronVersion = JSON.parse(
  readFileSync(join(here, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version;
const config = JSON.parse(readFileSync(JUSTIFICATIONS, 'utf8'));

// Scan a copy holding just the shipped sources, so the report's paths read "src/main/window.ts".
const workdir = mkdtempSync(join(tmpdir(), 'foresight-electronegativity-'));
try {
  for (const folder of SCANNED)
    if (existsSync(join(root, folder))) cpSync(join(root, folder), join(workdir, folder), { recursive: true });
  writeFileSync(
    join(workdir, 'package.json'),
    JSON.stringify({ name: 'foresight', devDependencies: { electron: electronVersion } }),
  );

  const started = Date.now();
  const log = console.log;
  console.log = () => {}; // the scanner's own chatter ("Could not retrieve updated translations…")
  let result;
  try {
    result = await run({
      input: workdir,
      isRelative: true,
      electronVersionOverride: electronVersion,
      excludeFromScan: config.excludedChecks.map((c) => c.check),
    });
  } finally {
    console.log = log;
  }

  const fatal = result.errors.filter((e) => !e.tolerable);
  const serious = result.issues.filter((issue) => issue.severity.name === 'HIGH' || issue.severity.name === 'MEDIUM');
  const used = new Set();
  const unjustified = [];
  const justified = [];
  for (const issue of serious) {
    const file = issue.file === 'N/A' ? 'N/A' : relative('.', issue.file).split('\\').join('/');
    const sample = (issue.sample ?? '').trim();
    const index = config.justified.findIndex(
      (j) => j.id === issue.id && j.file === file && (!j.sample || sample.includes(j.sample)),
    );
    if (index === -1) unjustified.push({ ...issue, file, sample });
    else {
      used.add(index);
      justified.push({ ...issue, file });
    }
  }

  console.log(
    `Electronegativity ${require('@doyensec/electronegativity/package.json').version}, Electron ${electronVersion}: ${result.globalChecks} global + ${result.atomicChecks} atomic checks over ${SCANNED.join(', ')} in ${Date.now() - started} ms.`,
  );
  console.log(
    `${result.issues.length} finding(s): ${serious.length} high/medium, ${serious.length - unjustified.length} of them justified in ${relative(root, JUSTIFICATIONS)}; ${config.excludedChecks.length} check(s) excluded with reasons.`,
  );
  for (const issue of justified)
    console.log(`✓ ${issue.severity.name} ${issue.id} at ${issue.file}:${issue.location.line} (justified)`);
  for (const issue of unjustified) {
    console.error(
      `✗ ${issue.severity.name} ${issue.id} at ${issue.file}:${issue.location.line} — ${issue.description}${issue.sample ? `\n    ${issue.sample}` : ''}`,
    );
  }
  for (const error of fatal) console.error(`✗ could not parse ${error.file}: ${error.message}`);
  config.justified.forEach((j, index) => {
    if (!used.has(index)) console.warn(`! unused justification (the finding is gone; remove it): ${j.id} in ${j.file}`);
  });
  if (unjustified.length > 0 || fatal.length > 0) {
    console.error(
      `\nFix the finding, or add a written justification (id, file, sample, reason) to ${relative(root, JUSTIFICATIONS)}.`,
    );
    process.exitCode = 1;
  }
} finally {
  rmSync(workdir, { recursive: true, force: true });
}
