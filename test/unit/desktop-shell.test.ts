import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, editContextMenuTemplate, GO_ITEMS } from '../../src/main/menu-template.ts';
import { captureWindowState, DEFAULT_SIZE, initialWindowState, MIN_SIZE } from '../../src/main/window-state.ts';
import type { MenuItemConstructorOptions } from 'electron';

const actions = { navigate: () => {}, backUpNow: () => {}, openBackupsFolder: () => {}, openLogsFolder: () => {} };
const flatten = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
  items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);

describe('application menu', () => {
  it('on macOS: the app menu with about/services/hide/quit, Settings on Cmd+,', () => {
    const template = buildMenuTemplate({ platform: 'darwin', isPackaged: true, appName: 'Foresight', actions });
    expect(template[0]?.label).toBe('Foresight');
    const roles = flatten(template)
      .map((i) => i.role)
      .filter(Boolean);
    expect(roles).toEqual(
      expect.arrayContaining([
        'about',
        'services',
        'hide',
        'hideOthers',
        'unhide',
        'quit',
        'close',
        'editMenu',
        'windowMenu',
        'help',
        'togglefullscreen',
        'zoomIn',
        'zoomOut',
        'resetZoom',
      ]),
    );
    const settings = flatten(template).find((i) => i.label === 'Settings…');
    expect(settings?.accelerator).toBe('CmdOrCtrl+,');
  });

  it('on Windows and Linux: File holds Settings and Quit; standard Edit, View, Window menus', () => {
    const template = buildMenuTemplate({ platform: 'win32', isPackaged: true, appName: 'Foresight', actions });
    expect(template.map((i) => i.label ?? i.role)).toEqual(['File', 'editMenu', 'View', 'Go', 'windowMenu', 'help']);
    const file = flatten([template[0]!]);
    expect(file.some((i) => i.role === 'quit')).toBe(true);
    expect(file.find((i) => i.label === 'Settings')?.accelerator).toBe('CmdOrCtrl+,');
    expect(file.find((i) => i.label === 'Back Up Now')?.accelerator).toBe('CmdOrCtrl+Shift+B');
  });

  it('Go has a shortcut for each main screen, and navigates by in-app path', () => {
    const visited: string[] = [];
    const template = buildMenuTemplate({
      platform: 'linux',
      isPackaged: true,
      appName: 'Foresight',
      actions: { ...actions, navigate: (h) => visited.push(h) },
    });
    const go = template.find((i) => i.label === 'Go')!.submenu as MenuItemConstructorOptions[];
    expect(go.map((i) => i.accelerator)).toEqual([
      'CmdOrCtrl+1',
      'CmdOrCtrl+2',
      'CmdOrCtrl+3',
      'CmdOrCtrl+4',
      'CmdOrCtrl+5',
    ]);
    go.forEach((item) => (item.click as () => void)());
    expect(visited).toEqual(['/today', '/accounts', '/interventions', '/outcomes', '/sync']);
    expect(GO_ITEMS.map((i) => i.path)).toEqual(visited);
  });

  it('has no devtools or reload in packaged builds', () => {
    const shipped = flatten(
      buildMenuTemplate({ platform: 'linux', isPackaged: true, appName: 'Foresight', actions }),
    ).map((i) => i.role);
    expect(shipped).not.toContain('toggleDevTools');
    expect(shipped).not.toContain('reload');
    const dev = flatten(buildMenuTemplate({ platform: 'linux', isPackaged: false, appName: 'Foresight', actions })).map(
      (i) => i.role,
    );
    expect(dev).toContain('toggleDevTools');
  });

  it('has the usual edit context menu in text fields', () => {
    expect(editContextMenuTemplate({ isEditable: true, selectionText: '' })?.map((i) => i.role)).toEqual([
      'undo',
      'redo',
      undefined,
      'cut',
      'copy',
      'paste',
      undefined,
      'selectAll',
    ]);
    expect(editContextMenuTemplate({ isEditable: false, selectionText: 'ACME' })?.map((i) => i.role)).toEqual(['copy']);
    expect(editContextMenuTemplate({ isEditable: false, selectionText: ' ' })).toBeNull();
  });
});

describe('remembered window state', () => {
  const laptop = { x: 0, y: 0, width: 1440, height: 900 };
  const external = { x: 1440, y: 0, width: 2560, height: 1440 };

  it('restores position, size and maximised state when they still fit a display', () => {
    const saved = { x: 1600, y: 100, width: 1800, height: 1000, maximized: true, fullScreen: false };
    expect(initialWindowState(saved, [laptop, external])).toEqual({
      bounds: { x: 1600, y: 100, width: 1800, height: 1000 },
      maximized: true,
      fullScreen: false,
    });
  });

  it('brings a window saved on an unplugged monitor back to the OS-centred position, shrunk to fit', () => {
    const saved = { x: 1600, y: 100, width: 1800, height: 1000, maximized: false, fullScreen: false };
    expect(initialWindowState(saved, [laptop])).toEqual({
      bounds: { width: 1440, height: 900 },
      maximized: false,
      fullScreen: false,
    });
  });

  it('keeps the title bar on screen and never goes below the minimum size', () => {
    const saved = { x: 100, y: -500, width: 10, height: 10, maximized: false, fullScreen: false };
    const restored = initialWindowState({ ...saved, width: 400, height: 300, y: -20 }, [laptop]);
    expect(restored.bounds.y).toBe(0);
    expect(restored.bounds.width).toBe(MIN_SIZE.width);
    expect(restored.bounds.height).toBe(MIN_SIZE.height);
  });

  it('starts at the default size the first time', () => {
    expect(initialWindowState(null, [external])).toEqual({
      bounds: { ...DEFAULT_SIZE },
      maximized: false,
      fullScreen: false,
    });
  });

  it('saves the normal bounds of a maximised window, so un-maximising restores its size', () => {
    const window = {
      getNormalBounds: () => ({ x: 10.4, y: 20.6, width: 1200, height: 800 }),
      isMaximized: () => true,
      isFullScreen: () => false,
    };
    expect(captureWindowState(window)).toEqual({
      x: 10,
      y: 21,
      width: 1200,
      height: 800,
      maximized: true,
      fullScreen: false,
    });
  });
});
