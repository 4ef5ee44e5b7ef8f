/**
 * The application menu: the platform's standard roles and accelerators (Edit, View, Window, the
 * macOS app menu), plus Foresight's own Go and File items. Pure: it returns the template, and a
 * test asserts its roles and shortcuts without Electron.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  /** An in-app path such as "/today" (what the renderer's navigate event takes). */
  navigate(path: string): void;
  backUpNow(): void;
  openBackupsFolder(): void;
  openLogsFolder(): void;
}

export const GO_ITEMS: readonly { label: string; path: string; accelerator: string }[] = [
  { label: 'Today', path: '/today', accelerator: 'CmdOrCtrl+1' },
  { label: 'Accounts', path: '/accounts', accelerator: 'CmdOrCtrl+2' },
  { label: 'Interventions', path: '/interventions', accelerator: 'CmdOrCtrl+3' },
  { label: 'Outcomes', path: '/outcomes', accelerator: 'CmdOrCtrl+4' },
  { label: 'Sync', path: '/sync', accelerator: 'CmdOrCtrl+5' },
];

export function buildMenuTemplate(options: {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  appName: string;
  actions: MenuActions;
}): MenuItemConstructorOptions[] {
  const { platform, isPackaged, appName, actions } = options;
  const mac = platform === 'darwin';
  const settings: MenuItemConstructorOptions = {
    label: mac ? 'Settings…' : 'Settings',
    accelerator: 'CmdOrCtrl+,',
    click: () => actions.navigate('/settings'),
  };
  const backUp: MenuItemConstructorOptions = {
    label: 'Back Up Now',
    accelerator: 'CmdOrCtrl+Shift+B',
    click: () => actions.backUpNow(),
  };

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        settings,
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push({
    label: 'File',
    submenu: [
      backUp,
      { label: 'Show Backups Folder', click: () => actions.openBackupsFolder() },
      { type: 'separator' },
      ...(mac ? [] : [settings, { type: 'separator' } as const]),
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({ role: 'editMenu' });
  template.push({
    label: 'View',
    submenu: [
      // Reload and developer tools only in development builds; a shipped app has no devtools.
      ...(isPackaged
        ? []
        : ([
            { role: 'reload' },
            { role: 'forceReload' },
            { role: 'toggleDevTools' },
            { type: 'separator' },
          ] as MenuItemConstructorOptions[])),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  template.push({
    label: 'Go',
    submenu: GO_ITEMS.map((item) => ({
      label: item.label,
      accelerator: item.accelerator,
      click: () => actions.navigate(item.path),
    })),
  });
  template.push({ role: 'windowMenu' });
  template.push({ role: 'help', submenu: [{ label: 'Show Log Folder', click: () => actions.openLogsFolder() }] });
  return template;
}

/** The right-click menu of text fields: the platform's edit roles. */
export function editContextMenuTemplate(params: {
  isEditable: boolean;
  selectionText: string;
}): MenuItemConstructorOptions[] | null {
  if (params.isEditable)
    return [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { type: 'separator' },
      { role: 'selectAll' },
    ];
  if (params.selectionText.trim().length > 0) return [{ role: 'copy' }];
  return null;
}
