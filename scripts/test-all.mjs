// `npm test`: every check a change must pass, in order from fastest to slowest, stopping at the
// first failure. Each step is also a script of its own for a quicker loop.
import { spawnSync } from 'node:child_process';
import { requireNode } from './require-node.mjs';
import { vitestStep } from './vitest-step.mjs';

requireNode();

const steps = [
  ['typecheck', ['npm', 'run', '--silent', 'typecheck']],
  ['format', ['npm', 'run', '--silent', 'format:check']],
  ['lint', ['npm', 'run', '--silent', 'lint']],
  ['Electron security scan (Electronegativity)', ['npm', 'run', '--silent', 'security:scan']],
  ['unit and integration tests', () => vitestStep()],
  ['build', ['npm', 'run', '--silent', 'build']],
  ['end-to-end tests in Chromium', ['npx', 'playwright', 'test']],
];

const started = Date.now();
for (const [name, step] of steps) {
  const stepStart = Date.now();
  console.log(`\n=== ${name} ===`);
  let status;
  if (typeof step === 'function') status = await step();
  else {
    const [command, ...args] = step;
    const result = spawnSync(command, args, { stdio: 'inherit' });
    status = result.status ?? result.signal;
  }
  const seconds = ((Date.now() - stepStart) / 1000).toFixed(1);
  if (status !== 0) {
    console.error(`\n✗ ${name} failed after ${seconds}s (exit code ${status}).`);
    process.exit(typeof status === 'number' && status > 0 ? status : 1);
  }
  console.log(`✓ ${name} (${seconds}s)`);
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 1000).toFixed(0)}s.`);
