import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as unknown[][],
  listeners: new Map<string, unknown>(),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => (electron.invoked.push(args), { ok: true, value: null }),
    on: (channel: string, listener: unknown) => electron.listeners.set(channel, listener),
    removeListener: (channel: string) => electron.listeners.delete(channel),
  },
}));

await import('../../src/preload/index.ts');

const root = join(import.meta.dirname, '..', '..');

/** Every module the preload loads at run time (type-only imports are erased), following relative imports. */
function runtimeImports(file: string, seen = new Set<string>()): { files: Set<string>; packages: Set<string> } {
  const packages = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const source = readFileSync(path, 'utf8');
    for (const match of source.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
      if (match[1]) continue; // import type / export type
      const specifier = match[2]!;
      if (specifier.startsWith('.')) visit(resolve(dirname(path), specifier));
      else packages.add(specifier);
    }
  };
  visit(file);
  return { files: seen, packages };
}

describe('preload', () => {
  it('exposes exactly window.foresight = { transport, call, onEvent }, and no Node or Electron object', () => {
    expect([...electron.exposed.keys()]).toEqual(['foresight']);
    const api = electron.exposed.get('foresight') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['call', 'onEvent', 'transport']);
    expect(api.transport).toBe('ipc');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('forwards calls on the one API channel only, and removes its event listener', async () => {
    const api = electron.exposed.get('foresight') as {
      call(m: string, i: unknown): Promise<unknown>;
      onEvent(l: (e: unknown) => void): () => void;
    };
    await api.call('app.status', {});
    expect(electron.invoked).toEqual([['foresight:call', 'app.status', {}]]);
    const received: unknown[] = [];
    const off = api.onEvent((event) => received.push(event));
    (electron.listeners.get('foresight:event') as (e: unknown, p: unknown) => void)(
      { senderFrame: null },
      { type: 'data-changed', kinds: ['all'] },
    );
    expect(received).toEqual([{ type: 'data-changed', kinds: ['all'] }]);
    off();
    expect(electron.listeners.has('foresight:event')).toBe(false);
  });

  it('loads nothing but electron at run time (a sandboxed preload cannot require packages such as zod)', () => {
    const { files, packages } = runtimeImports(join(root, 'src', 'preload', 'index.ts'));
    expect([...packages]).toEqual(['electron']);
    expect([...files].map((f) => f.slice(root.length + 1)).sort()).toEqual([
      'src/preload/index.ts',
      'src/shared/ipc-channels.ts',
    ]);
  });
});
