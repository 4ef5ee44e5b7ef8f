/**
 * `npm test`'s vitest step reruns a file only when its process died of a signal and nothing else
 * went wrong (scripts/vitest-step.mjs). The outputs below have the shape of a real run's summary.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { crashedOnly } from '../../scripts/vitest-step.mjs';

const ESC = '\u001b';
const crash = (file: string, signal = 'SIGTRAP') =>
  `${ESC}[31m${ESC}[1mCaused by: Error${ESC}[22m: Worker exited unexpectedly with signal ${signal} during started state while running test file ${file}${ESC}[39m`;
const summary = (files: string, tests: string, errors: number) =>
  [
    `Vitest caught ${errors} unhandled error${errors === 1 ? '' : 's'} during the test run.`,
    ` ${ESC}[2m Test Files ${ESC}[22m ${files}`,
    ` ${ESC}[2m      Tests ${ESC}[22m ${tests}`,
  ].join('\n');

describe('the vitest step', () => {
  it('names the crashed files when a crash is the only trouble', () => {
    const output = `${crash('/check/work/main/test/integration/hub-e2e.test.ts')}\n${summary('160 passed (161)', '1267 passed (1268)', 1)}`;
    expect(crashedOnly(output)).toEqual([
      { signal: 'SIGTRAP', file: '/check/work/main/test/integration/hub-e2e.test.ts' },
    ]);
  });

  it('reruns nothing when a test failed beside the crash, or another error was caught', () => {
    const file = '/x/test/integration/hub-e2e.test.ts';
    expect(
      crashedOnly(`${crash(file)}\n${summary('1 failed | 159 passed (161)', '1 failed | 1266 passed (1268)', 1)}`),
    ).toBeNull();
    expect(crashedOnly(`${crash(file)}\n${summary('160 passed (161)', '1267 passed (1268)', 2)}`)).toBeNull();
    expect(crashedOnly(summary('1 failed | 160 passed (161)', '1 failed | 1267 passed (1268)', 0))).toBeNull();
  });

  it('reruns nothing without a summary (vitest itself did not finish)', () => {
    expect(crashedOnly(crash('/x/test/unit/a.test.ts', 'SIGSEGV'))).toBeNull();
  });
});
