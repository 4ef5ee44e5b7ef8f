/**
 * Small accessibility checks the screens' tests share: things a screen reader or keyboard user
 * trips over that the visible page does not show.
 */
import type { Page } from '@playwright/test';

/**
 * Elements a keyboard can reach (tabindex ≥ 0, links, buttons, inputs) inside something hidden from
 * assistive technology (aria-hidden) or flattened into a picture (role="img"): focus lands on
 * nothing a screen reader can name. Returns a short description of each.
 */
export async function focusableInsideHidden(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const focusable = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
    const found: string[] = [];
    for (const container of document.querySelectorAll('[aria-hidden="true"], [role="img"]')) {
      const inside = [...(container.matches(focusable) ? [container] : []), ...container.querySelectorAll(focusable)];
      for (const el of inside) found.push(`${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}`);
    }
    return found;
  });
}

/** Headings that skip a level on the way down (an h3 straight after an h1), as "h1 → h3: text". */
export async function skippedHeadingLevels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const skipped: string[] = [];
    let previous = 0;
    for (const heading of document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')) {
      const level = Number(heading.tagName.slice(1));
      if (previous > 0 && level > previous + 1)
        skipped.push(`h${previous} → h${level}: ${heading.textContent?.trim() ?? ''}`);
      previous = level;
    }
    return skipped;
  });
}
