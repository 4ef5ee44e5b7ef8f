import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Dispatch } from '../app/dispatcher.ts';
import { IPC_CALL, IPC_EVENT, type ApiEvent, type ApiResult } from '../shared/api.ts';
import { isTrustedAppUrl } from './security/origin.ts';

const FORBIDDEN: ApiResult<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'This frame may not call the Foresight API.' },
};
const CLOSING: ApiResult<never> = {
  ok: false,
  error: { code: 'APP_CLOSING', message: 'Foresight is closing; the call was not run.' },
};

/** Only our window's own top-level frame, showing foresight://app, may call. */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  window: BrowserWindow | null,
): boolean {
  const frame = event.senderFrame;
  if (!frame || !window || window.isDestroyed()) return false;
  return event.sender === window.webContents && frame === window.webContents.mainFrame && isTrustedAppUrl(frame.url);
}

export interface IpcOptions {
  /** Shutdown waits for the calls it tracks. */
  track?<T>(work: Promise<T>): Promise<T>;
  /** False once quitting has begun. */
  accepting?(): boolean;
}

/**
 * One handler for every call. It answers only our own top-level frame loaded from the app's own
 * protocol (checked on every call, not once); the method name and the input are validated by the
 * shared dispatcher against the zod schemas in src/shared/api.ts.
 */
export function registerIpc(dispatch: Dispatch, getWindow: () => BrowserWindow | null, options: IpcOptions = {}): void {
  ipcMain.handle(IPC_CALL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    if (!isTrustedSender(event, getWindow())) return FORBIDDEN;
    if (options.accepting && !options.accepting()) return CLOSING;
    const work = dispatch(method, input);
    return options.track ? options.track(work) : work;
  });
}

export function forwardEvents(
  subscribe: (listener: (event: ApiEvent) => void) => () => void,
  getWindow: () => BrowserWindow | null,
): () => void {
  return subscribe((event) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(IPC_EVENT, event);
  });
}
