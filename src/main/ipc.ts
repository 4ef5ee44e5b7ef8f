import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Dispatch } from '../app/dispatcher.ts';
import { IPC_CALL, IPC_EVENT, type ApiEvent } from '../shared/api.ts';
import { isTrustedAppUrl } from './app-protocol.ts';

/**
 * One handler for every call. It answers only our own top-level frame loaded from the app's own
 * protocol; input validation and error shaping happen in the shared dispatcher.
 */
export function registerIpc(dispatch: Dispatch, getWindow: () => BrowserWindow | null): void {
  ipcMain.handle(IPC_CALL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    const frame = event.senderFrame;
    const window = getWindow();
    if (!frame || !window || event.sender !== window.webContents || frame !== window.webContents.mainFrame || !isTrustedAppUrl(frame.url)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'This frame may not call the Foresight API.' } };
    }
    return dispatch(method, input);
  });
}

export function forwardEvents(subscribe: (listener: (event: ApiEvent) => void) => () => void, getWindow: () => BrowserWindow | null): () => void {
  return subscribe((event) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(IPC_EVENT, event);
  });
}
