/**
 * What only the desktop shell can do: native file dialogs and notifications. The web preview and
 * the CLI have no such bridge (`ctx.native` is null), and handlers fall back, e.g. by returning a
 * file's bytes for the browser to download.
 */
export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface NativeBridge {
  saveFile(options: {
    defaultName: string;
    filters: FileFilter[];
    data: Uint8Array;
  }): Promise<{ saved: boolean; path: string | null }>;
  chooseFiles(options: { title: string; filters: FileFilter[]; multiple: boolean }): Promise<string[]>;
  /** A native yes/no question, outside the renderer's reach (allow-list changes); true when confirmed. */
  confirm?(options: { title: string; message: string; detail: string; confirmLabel: string }): Promise<boolean>;
}
