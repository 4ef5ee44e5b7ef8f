/**
 * The renderer's only door to the app: `window.foresight`, implementing the typed contract.
 * Raw ipcRenderer is never exposed, so a compromised page can only make declared, validated calls.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL, IPC_EVENT, type ApiEvent, type ForesightApi } from '../shared/api.ts';

const api: ForesightApi = {
  transport: 'ipc',
  call: (method, input) => ipcRenderer.invoke(IPC_CALL, method, input),
  onEvent(listener) {
    const wrapped = (_event: IpcRendererEvent, payload: ApiEvent) => listener(payload);
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT, wrapped);
  },
};

contextBridge.exposeInMainWorld('foresight', api);
