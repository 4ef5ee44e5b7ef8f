/**
 * A hash router: the app is loaded from file:// in Electron, where only the hash can change
 * without a reload, and the web preview serves a single index.html.
 */
import { useSyncExternalStore } from 'react';

export interface HashLocation {
  /** "/accounts/acc_1" — always starts with "/". */
  path: string;
  /** What followed "?" in the hash, e.g. for #/accounts?search=acme. */
  query: URLSearchParams;
}

function readHash(): string {
  return window.location.hash.replace(/^#/, '') || '/';
}

// The hash changes synchronously, but 'hashchange' arrives as a later task: keys pressed faster than
// that (j, j, k on Today) would each read the old location. navigate() therefore tells subscribers at
// once; the event still covers Back/Forward and links.
const listeners = new Set<() => void>();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  window.addEventListener('hashchange', onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener('hashchange', onChange);
  };
}

export function splitHash(hash: string): HashLocation {
  const [rawPath = '/', rawQuery = ''] = hash.split('?', 2);
  const path = `/${rawPath.replace(/^\/+/, '').replace(/\/+$/, '')}`;
  return { path, query: new URLSearchParams(rawQuery) };
}

/** The current hash, re-rendering on change. Returns the raw string so it is stable between renders. */
export function useHash(): string {
  return useSyncExternalStore(subscribe, readHash);
}

/** "#/accounts" for an <a href>. */
export function href(to: string): string {
  return `#${to.startsWith('/') ? to : `/${to}`}`;
}

/** Go somewhere in the app. `replace` skips a history entry (for redirects). */
export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  if (replace) window.location.replace(href(to));
  else window.location.hash = href(to);
  for (const listener of listeners) listener();
}

/** Builds a path from a pattern: pathTo('/accounts/:id', { id: 'a/1' }) → "/accounts/a%2F1". */
export function pathTo(pattern: string, params: Record<string, string> = {}): string {
  return pattern.replace(/:([A-Za-z_]\w*)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}
