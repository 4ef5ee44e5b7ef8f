// The unit and integration step of `npm test`: `vitest run`, streamed as it prints, and one rerun
// of the files whose test process died of a signal while every test that ran had passed.
//
// Why: one CI run died with SIGTRAP (V8's own fatal check, not a failed test) while running
// hub-e2e.test.ts, with all 1,267 tests that ran passing; it did not reproduce here. That file
// starts PGlite (PostgreSQL in WebAssembly) three times in one process, and V8 has an open report
// of such a check under PGlite (nodejs/node issue 64500, "Check failed:
// jit_page_->allocations_.erase(addr) == 1"). The rerun is of those files only, in full, and must
// pass; the step says loudly that it happened. A test that fails, or a crash beside a failure,
// fails the step as before.
import { spawn } from 'node:child_process';
import { relative } from 'node:path';

const CRASH = /Worker exited unexpectedly with signal (\w+) during \w+ state while running test file (\S+\.test\.ts)/g;

/** Runs `npx vitest run …args`, echoing its output; resolves with its exit code and output. */
function vitest(args) {
  return new Promise((resolve) => {
    const child = spawn('npx', ['vitest', 'run', ...args], { stdio: ['inherit', 'pipe', 'pipe'] });
    const chunks = [];
    const keep = (stream, into) =>
      child[stream].on('data', (chunk) => {
        into.write(chunk);
        chunks.push(chunk);
      });
    keep('stdout', process.stdout);
    keep('stderr', process.stderr);
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, output: Buffer.concat(chunks).toString() }));
  });
}

// eslint-disable-next-line no-control-regex
const plain = (text) => text.replace(/\u001b\[[0-9;]*m/g, '');

/** The files whose process died of a signal, when that is the run's only trouble (else null). */
export function crashedOnly(output) {
  const text = plain(output);
  const crashes = [...text.matchAll(CRASH)].map(([, signal, file]) => ({ signal, file }));
  if (crashes.length === 0) return null;
  const summary = text.split('\n').filter((line) => /^\s*(Test Files|Tests)\s/.test(line));
  if (summary.length === 0 || summary.some((line) => /\bfailed\b/.test(line))) return null;
  const errors = /Vitest caught (\d+) unhandled errors?/.exec(text);
  if (!errors || Number(errors[1]) !== crashes.length) return null;
  return crashes;
}

/** The step: 0 when vitest passed, or when it passed on rerunning only the crashed files. `only`: file filters. */
export async function vitestStep(only = []) {
  const first = await vitest(only);
  if (first.code === 0) return 0;
  const crashes = crashedOnly(first.output);
  if (!crashes) return first.code;
  const files = [...new Set(crashes.map((c) => relative(process.cwd(), c.file)))];
  const what = crashes.map((c) => `${relative(process.cwd(), c.file)} (${c.signal})`).join(', ');
  console.log(`\n!!! A test process died of a signal while every test that ran passed: ${what}.`);
  console.log('!!! Rerunning only those files once (scripts/vitest-step.mjs says why); they must pass.\n');
  const again = await vitest(files);
  if (again.code === 0)
    console.log(`\n!!! The rerun of ${files.join(', ')} passed; the crash above is reported, not hidden.`);
  return again.code;
}
