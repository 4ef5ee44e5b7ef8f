import { useEffect, useRef } from 'react';

/**
 * After in-app navigation, move focus to the new page's h1 and update the window title, so
 * screen-reader and keyboard users land on the new content instead of a stale sidebar link.
 * Launch (and the redirect from "/" to the home screen) leave focus alone: nothing was clicked.
 */
export function useRouteFocus(path: string, title: string): void {
  const previous = useRef<string | null>(null);
  useEffect(() => {
    document.title = title === 'Foresight' ? title : `${title} · Foresight`;
  }, [title]);
  useEffect(() => {
    const from = previous.current;
    previous.current = path;
    if (from === null || from === '/' || from === path) return;
    document.querySelector<HTMLElement>('main [data-page-title]')?.focus();
  }, [path]);
}
