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
    const title = () => document.querySelector<HTMLElement>('main [data-page-title]');
    const now = title();
    if (now) {
      now.focus();
      return;
    }
    // The screen's code is still loading (screens are lazy chunks, routes.tsx): focus its title
    // when it appears, unless the user has moved on or put focus somewhere themselves.
    const main = document.querySelector('main');
    if (!main) return;
    const focusedBefore = document.activeElement;
    const observer = new MutationObserver(() => {
      const found = title();
      if (!found) return;
      observer.disconnect();
      if (document.activeElement === focusedBefore || document.activeElement === document.body) found.focus();
    });
    observer.observe(main, { childList: true, subtree: true });
    const timer = window.setTimeout(() => observer.disconnect(), 10_000);
    return () => {
      observer.disconnect();
      window.clearTimeout(timer);
    };
  }, [path]);
}
