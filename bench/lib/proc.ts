/**
 * Child processes for the heavy figures, so that each sample starts cold and its peak RSS is its
 * own: Node children report process.resourceUsage().maxRSS, other programs run under /usr/bin/time.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR } from './paths.ts';

export interface ChildOutcome<T> {
  value: T;
  /** Peak resident set size of the child, in MB. */
  peakRssMb: number | null;
  /** Wall time of the whole child process, start-up included. */
  ms: number;
}

function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs one task of bench/child.ts in a fresh Node process and returns what it reported. */
export async function runNodeTask<T>(task: string, input: unknown, nodeFlags: string[] = []): Promise<ChildOutcome<T>> {
  const out = join(
    tmpdir(),
    `foresight-bench-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`,
  );
  const started = performance.now();
  const { code, stderr } = await run(process.execPath, [
    ...nodeFlags,
    join(BENCH_DIR, 'child.ts'),
    task,
    JSON.stringify(input),
    out,
  ]);
  const ms = performance.now() - started;
  if (!existsSync(out))
    throw new Error(`bench task ${task} failed (exit ${code}): ${stderr.trim().split('\n').slice(-6).join(' ')}`);
  const reported = JSON.parse(readFileSync(out, 'utf8')) as { value: T; maxRssKb: number; error?: string };
  rmSync(out, { force: true });
  if (reported.error !== undefined || code !== 0)
    throw new Error(reported.error ?? `bench task ${task} failed (exit ${code})`);
  return { value: reported.value, peakRssMb: reported.maxRssKb / 1024, ms };
}

export interface TimedRun {
  /** Wall time from spawning the process to its exit. */
  ms: number;
  /**
   * CPU time of the process and the children it waited for (user + system, from /usr/bin/time, which
   * prints it to the hundredth of a second), in ms; null without /usr/bin/time. On a shared machine
   * it moves far less with the load than wall time.
   */
  cpuMs: number | null;
  /** Peak resident set size of the process (the largest of it and the children it waited for), in MB. */
  peakRssMb: number | null;
  stdout: string;
}

/**
 * Runs any program under /usr/bin/time for its wall time, CPU time and peak RSS. `okCodes`: exit codes that
 * are not a failure (`foresight import` exits 3 when it rejected some rows).
 */
export async function runTimed(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; okCodes?: readonly number[] } = {},
): Promise<TimedRun> {
  const hasTime = existsSync('/usr/bin/time');
  const started = performance.now();
  const result = hasTime
    ? await run('/usr/bin/time', ['-f', 'BENCH_MAXRSS_KB=%M BENCH_CPU_S=%U+%S', command, ...args], options)
    : await run(command, args, options);
  const ms = performance.now() - started;
  if (!(options.okCodes ?? [0]).includes(result.code ?? -1))
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.code}): ${result.stderr.trim().slice(-500)}`);
  const match = /BENCH_MAXRSS_KB=(\d+)/.exec(result.stderr);
  const cpu = /BENCH_CPU_S=([\d.]+)\+([\d.]+)/.exec(result.stderr);
  return {
    ms,
    cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : null,
    peakRssMb: match ? Number(match[1]) / 1024 : null,
    stdout: result.stdout,
  };
}

export { run as runProcess };
