/**
 * Brings `element` to the top of the nearest ancestor that scrolls, and moves nothing else.
 * `scrollIntoView({ block: 'start' })` scrolls every ancestor, including the page behind the app
 * shell (overflow hidden, but still scrollable from script): when the screen's own scroller could
 * not go far enough (the settings sections below still loading), the whole window moved up, hiding
 * the banner, the counts bar and the top of the navigation behind an empty strip.
 */
export function scrollToStart(element: HTMLElement): void {
  const scroller = scrollingAncestor(element);
  if (!scroller) return;
  const top = element.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
  scroller.scrollTo({ top: Math.max(0, top) });
}

function scrollingAncestor(element: HTMLElement): HTMLElement | null {
  for (let node = element.parentElement; node; node = node.parentElement) {
    const { overflowY } = getComputedStyle(node);
    if (overflowY === 'auto' || overflowY === 'scroll') return node;
  }
  return null;
}
