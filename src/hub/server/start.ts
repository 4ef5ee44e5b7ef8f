/**
 * Starts a hub: opens (and migrates) its store, optionally loads the demo book, and listens on
 * 127.0.0.1. Used by `foresight hub serve` and by tests:
 *
 *     const hub = await startHub({ embeddedDir: dir, port: 0, demo: { accounts: 40 } });
 *     const token = await hub.addUser('maya.chen@foresight.example', 'csm');
 *     ... fetch(`${hub.url}/v1/accounts`, { headers: { Authorization: `Bearer ${token}` } }) ...
 *     await hub.close();
 *
 * An embedded hub writes DIR/hub.json (its URL and pid) and DIR/hub.secret (0600): the local door
 * that lets `foresight hub user add --embedded DIR` add users while this process holds the store.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import type { DemoOptions } from '../../domain/demo/index.ts';
import { addUserWithToken, type HubRole } from '../auth/users.ts';
import { loadDemoIntoHub, type HubDemoResult } from '../load/demo.ts';
import { openHubStore } from '../store/open.ts';
import type { HubStore } from '../store/store.ts';
import { hubFiles } from './hub-files.ts';
import { createHubServer } from './http-server.ts';
import type { RateLimitOptions } from './rate-limit.ts';

export interface StartHubOptions {
  /** Embedded PostgreSQL (PGlite) in this directory… */
  embeddedDir?: string;
  /** …or a real PostgreSQL server. */
  pgUrl?: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Load the demo book (true: the app's default size) and make its owners csm users. */
  demo?: boolean | DemoOptions;
  rateLimit?: RateLimitOptions;
  log?: (line: string) => void;
}

export interface RunningHub {
  url: string;
  store: HubStore;
  demo: HubDemoResult | null;
  /** Adds (or updates) a user and returns their new token; `covers` (a csm's colleagues) replaces theirs. */
  addUser(email: string, role: HubRole, team?: string, covers?: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

export async function startHub(options: StartHubOptions): Promise<RunningHub> {
  const files = options.embeddedDir ? hubFiles(options.embeddedDir) : null;
  if (files && options.embeddedDir) {
    // Claim the folder before PGlite opens it: another command must not open it meanwhile.
    mkdirSync(options.embeddedDir, { recursive: true });
    writeFileSync(files.info, JSON.stringify({ url: null, pid: process.pid }) + '\n');
  }
  let store: HubStore;
  try {
    store = await openHubStore({ pgUrl: options.pgUrl ?? null, embeddedDir: options.embeddedDir ?? null });
  } catch (error) {
    if (files) rmSync(files.info, { force: true });
    throw error;
  }
  const adminSecret = files ? randomBytes(32).toString('base64url') : null;
  let demo: HubDemoResult | null = null;
  try {
    if (options.demo) demo = await loadDemoIntoHub(store, options.demo === true ? {} : options.demo);
  } catch (error) {
    await store.close();
    if (files) rmSync(files.info, { force: true });
    throw error;
  }
  const server = createHubServer({ store, rateLimit: options.rateLimit, adminSecret, log: options.log });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await store.close();
    if (files) rmSync(files.info, { force: true });
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  if (files && adminSecret) {
    writeFileSync(files.secret, adminSecret, { mode: 0o600 });
    writeFileSync(files.info, JSON.stringify({ url, pid: process.pid }) + '\n');
  }
  let closing: Promise<void> | null = null;
  return {
    url,
    store,
    demo,
    addUser: async (email, role, team, covers) =>
      (await addUserWithToken(store, { email, role, team, covers }, 'startHub')).token,
    close: () =>
      (closing ??= (async () => {
        if (files) {
          rmSync(files.info, { force: true });
          rmSync(files.secret, { force: true });
        }
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await store.close();
      })()),
  };
}
