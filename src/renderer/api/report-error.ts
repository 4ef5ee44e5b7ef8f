/**
 * Renderer failures go to the app's log (app.reportError), with their stacks, so a crash the user
 * saw can be diagnosed from the log they send; the desktop app redacts every line it writes.
 */
import type { ApiInput } from '../../shared/api.ts';
import { api } from './client.ts';

type Source = ApiInput<'app.reportError'>['source'];

/** A page stuck in a loop of errors must not flood the log or the API. */
const MAX_REPORTS = 20;
let reported = 0;

export function reportError(source: Source, error: unknown, componentStack?: string | null): void {
  if (reported >= MAX_REPORTS) return;
  reported += 1;
  const failure = error instanceof Error ? error : null;
  const message = failure ? `${failure.name}: ${failure.message}` : describe(error);
  // api.result never rejects; a report that cannot be delivered is dropped rather than reported.
  void api.result('app.reportError', {
    source,
    message: message.slice(0, 2_000),
    stack: failure?.stack?.slice(0, 20_000) ?? null,
    componentStack: componentStack?.slice(0, 20_000) ?? null,
    screen: window.location.hash.slice(0, 500) || null,
  });
}

/** Mount once, before the first render: errors no component caught are reported too. */
export function reportUncaughtErrors(): void {
  window.addEventListener('error', (event) => reportError('error', event.error ?? event.message));
  window.addEventListener('unhandledrejection', (event) => reportError('unhandledrejection', event.reason));
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
