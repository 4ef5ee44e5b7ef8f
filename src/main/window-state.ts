/**
 * Remembered window state: restored only where it still fits a connected display, so a window
 * saved on an unplugged monitor comes back on screen instead of off it. Pure.
 */
import type { WindowState } from '../app/preferences.ts';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_SIZE = { width: 1360, height: 860 } as const;
export const MIN_SIZE = { width: 960, height: 600 } as const;

/** How much of the window must be on a display for its saved position to be kept: enough to grab the title bar. */
const VISIBLE = { width: 120, height: 48 };

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

export interface InitialWindowState {
  bounds: { x?: number; y?: number; width: number; height: number };
  maximized: boolean;
  fullScreen: boolean;
}

export function initialWindowState(saved: WindowState | null, workAreas: readonly Rect[]): InitialWindowState {
  const largest = [...workAreas].sort((a, b) => b.width * b.height - a.width * a.height)[0];
  const fit = (width: number, height: number) => ({
    width: Math.max(MIN_SIZE.width, Math.min(width, largest?.width ?? width)),
    height: Math.max(MIN_SIZE.height, Math.min(height, largest?.height ?? height)),
  });
  if (!saved) return { bounds: fit(DEFAULT_SIZE.width, DEFAULT_SIZE.height), maximized: false, fullScreen: false };

  const size = fit(saved.width, saved.height);
  if (saved.x !== null && saved.y !== null) {
    const rect = { x: saved.x, y: saved.y, ...size };
    const home = workAreas.find((area) => {
      const o = overlap(rect, area);
      return o.width >= VISIBLE.width && o.height >= VISIBLE.height;
    });
    if (home) {
      // Keep the title bar reachable: never above the display's top edge.
      return {
        bounds: { x: rect.x, y: Math.max(rect.y, home.y), ...size },
        maximized: saved.maximized,
        fullScreen: saved.fullScreen,
      };
    }
  }
  // Off every display: the OS centres it.
  return { bounds: size, maximized: saved.maximized, fullScreen: saved.fullScreen };
}

/** What is saved: the normal (un-maximised) bounds plus the flags, so a maximised window restores to its old size. */
export function captureWindowState(window: {
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isFullScreen(): boolean;
}): WindowState {
  const bounds = window.getNormalBounds();
  return {
    x: Math.round(bounds.x),
    y: Math.round(bounds.y),
    width: Math.max(400, Math.round(bounds.width)),
    height: Math.max(300, Math.round(bounds.height)),
    maximized: window.isMaximized(),
    fullScreen: window.isFullScreen(),
  };
}
