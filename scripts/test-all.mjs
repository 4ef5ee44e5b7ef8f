// `npm test`: every check a change must pass, in order from fastest to slowest, stopping at the
// first failure. Each step is also a script of its own for a quicker loop.
import { spawnSync } from 'node:child_process';
import { requireNode } from './require-node.mjs';

requireNode();

const steps = [
  ['typecheck', ['npm', 'run', '--silent', 'typecheck']],
  ['format', ['npm', 'run', '--silent', 'format:check']],
  ['lint', ['npm', 'run', '--silent', 'lint']],
  ['Electron security scan (Electronegativity)', ['npm', 'run', '--silent', 'security:scan']],
  ['unit and integration tests', ['npx', 'vitest', 'run']],
  ['build', ['npm', 'run', '--silent', 'build']],
  ['end-to-end tests in Chromium', ['npx', 'playwright', 'test']],
];

const started = Date.now();
for (const [name, [command, ...args]] of steps) {
  const stepStart = Date.now();
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  const seconds = ((Date.now() - stepStart) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed after ${seconds}s (exit code ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
  console.log(`✓ ${name} (${seconds}s)`);
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 1000).toFixed(0)}s.`);
