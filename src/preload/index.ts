/**
 * The renderer's only door to the app: `window.foresight`, implementing the typed contract.
 * Raw ipcRenderer is never exposed, so a compromised page can only make declared, validated calls.
 *
 * This runs sandboxed: it may require nothing but `electron`, so it imports only types from the
 * API contract (which needs zod) and the channel names from a dependency-free module.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEvent, ForesightApi } from '../shared/api.ts';
import { IPC_CALL, IPC_EVENT } from '../shared/ipc-channels.ts';

const api: ForesightApi = {
  transport: 'ipc',
  call: (method, input) => ipcRenderer.invoke(IPC_CALL, method, input),
  onEvent(listener) {
    const wrapped = (_event: IpcRendererEvent, payload: ApiEvent) => listener(payload);
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT, wrapped);
  },
};

contextBridge.exposeInMainWorld('foresight', Object.freeze(api));
