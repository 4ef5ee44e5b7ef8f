/**
 * The web preview's transport says when the server cannot be reached: its event stream retrying
 * (server stopped) is "lost", the stream refused (a restarted server with a new token) is
 * "refused", a reopened stream is "connected" again. QA: the open screen kept showing the book
 * with no sign the server was gone, and after a restart "Try again" could never succeed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useConnection } from '../../src/renderer/api/connection.ts';
import { createHttpApi } from '../../src/renderer/api/http-transport.ts';

class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static last: FakeEventSource | null = null;
  readyState = FakeEventSource.CONNECTING;
  onmessage: ((m: MessageEvent<string>) => void) | null = null;
  onerror: (() => void) | null = null;
  onopen: (() => void) | null = null;
  constructor() {
    FakeEventSource.last = this;
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
}

beforeEach(() => {
  vi.stubGlobal('EventSource', FakeEventSource);
  useConnection.setState({ state: 'connected' });
});
afterEach(() => vi.unstubAllGlobals());

describe('the web preview connection', () => {
  it('is lost while the stream retries, connected when it reopens, refused when the server turns it away', () => {
    const api = createHttpApi({ token: 't' });
    const events: unknown[] = [];
    api.onEvent((e) => events.push(e));
    const source = FakeEventSource.last!;
    source.readyState = FakeEventSource.OPEN;
    source.onopen?.();
    expect(useConnection.getState().state).toBe('connected');

    source.readyState = FakeEventSource.CONNECTING;
    source.onerror?.();
    expect(useConnection.getState().state).toBe('lost');

    source.readyState = FakeEventSource.OPEN;
    source.onopen?.();
    expect(useConnection.getState().state).toBe('connected');
    expect(events).toContainEqual({ type: 'data-changed', kinds: ['all'] });

    source.readyState = FakeEventSource.CLOSED;
    source.onerror?.();
    expect(useConnection.getState().state).toBe('refused');
  });

  it('is lost when a call cannot reach the server, connected when one is answered, refused for a wrong token', async () => {
    const api = createHttpApi({ token: 't' });
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    expect((await api.call('app.status', {} as never)).ok).toBe(false);
    expect(useConnection.getState().state).toBe('lost');
    vi.stubGlobal('fetch', () => Promise.resolve(Response.json({ ok: true, value: {} })));
    await api.call('app.status', {} as never);
    expect(useConnection.getState().state).toBe('connected');
    const refused = {
      ok: false,
      error: { code: 'UNAUTHORISED', message: 'The web preview token is missing or wrong.' },
    };
    vi.stubGlobal('fetch', () => Promise.resolve(Response.json(refused, { status: 401 })));
    await api.call('app.status', {} as never);
    expect(useConnection.getState().state).toBe('refused');
  });
});
