import { dialog, type BrowserWindow } from 'electron';
import { writeFileReplacing } from '../domain/safety/replace-file.ts';
import type { NativeBridge } from '../app/native.ts';

/** Native file dialogs for handlers (exports, imports, restore from file). The renderer never names a path itself. */
export function electronNativeBridge(getWindow: () => BrowserWindow | null): NativeBridge {
  return {
    async saveFile({ defaultName, filters, data }) {
      const window = getWindow();
      const options = { defaultPath: defaultName, filters };
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      if (result.canceled || !result.filePath) return { saved: false, path: null };
      // Beside the target, renamed when complete: a full disk never leaves half an export (QA 5 #7).
      writeFileReplacing(result.filePath, data);
      return { saved: true, path: result.filePath };
    },
    async chooseFiles({ title, filters, multiple }) {
      const window = getWindow();
      const options: Electron.OpenDialogOptions = {
        title,
        filters,
        properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'],
      };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
    async confirm({ title, message, detail, confirmLabel }) {
      const window = getWindow();
      const options: Electron.MessageBoxOptions = {
        type: 'question',
        title,
        message,
        detail,
        buttons: [confirmLabel, 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        noLink: true,
      };
      const result = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
      return result.response === 0;
    },
  };
}
