/**
 * The main process log: userData/logs/main.log, one rotated copy, every line redacted. Console
 * output and crash output (uncaught exceptions, unhandled rejections) go through the same path, so
 * there is no second route by which a token could reach the disk or a terminal.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { Redactor } from './redact.ts';

export interface Logger {
  info(...parts: unknown[]): void;
  warn(...parts: unknown[]): void;
  error(...parts: unknown[]): void;
  readonly file: string;
}

const MAX_BYTES = 5 * 1024 * 1024;

export function formatParts(parts: unknown[]): string {
  return parts
    .map((part) =>
      typeof part === 'string'
        ? part
        : part instanceof Error
          ? (part.stack ?? part.message)
          : inspect(part, { depth: 4, breakLength: Infinity }),
    )
    .join(' ');
}

export function createFileLogger(options: {
  dir: string;
  redactor: Redactor;
  now?: () => Date;
  echo?: (level: string, line: string) => void;
  maxBytes?: number;
}): Logger {
  mkdirSync(options.dir, { recursive: true });
  const file = join(options.dir, 'main.log');
  const maxBytes = options.maxBytes ?? MAX_BYTES;
  const now = options.now ?? (() => new Date());
  const write = (level: string, parts: unknown[]) => {
    const line = options.redactor.redact(formatParts(parts));
    options.echo?.(level, line);
    try {
      if (existsSync(file) && statSync(file).size > maxBytes) renameSync(file, `${file}.1`);
      appendFileSync(file, `${now().toISOString()} ${level.toUpperCase()} ${line}\n`, { mode: 0o600 });
    } catch {
      // Logging must never take the app down; the echo above still reached the terminal.
    }
  };
  return {
    file,
    info: (...parts) => write('info', parts),
    warn: (...parts) => write('warn', parts),
    error: (...parts) => write('error', parts),
  };
}

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';

/**
 * Routes console.* through the logger (redacted, to the file) and writes the redacted line to the
 * original stream. Returns a function that puts the console back (for tests).
 */
export function routeConsoleThroughLogger(logger: Logger, target: Console = console): () => void {
  const originals = new Map<ConsoleMethod, (...args: unknown[]) => void>();
  const levels: Record<ConsoleMethod, 'info' | 'warn' | 'error'> = {
    log: 'info',
    info: 'info',
    debug: 'info',
    warn: 'warn',
    error: 'error',
  };
  for (const method of Object.keys(levels) as ConsoleMethod[]) {
    originals.set(method, target[method].bind(target));
    target[method] = (...args: unknown[]) => logger[levels[method]](...args);
  }
  return () => {
    for (const [method, original] of originals) target[method] = original;
  };
}

/** Crash output is logged (redacted) rather than printed raw by Node's default handler. */
export function logCrashes(logger: Logger, processRef: NodeJS.Process = process): void {
  processRef.on('uncaughtException', (error) => logger.error('[crash] uncaught exception:', error));
  processRef.on('unhandledRejection', (reason) => logger.error('[crash] unhandled rejection:', reason));
}
