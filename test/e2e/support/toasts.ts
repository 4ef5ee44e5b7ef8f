import { expect, type Page } from '@playwright/test';

/** Closes every toast (a pointer over them pauses their timers), e.g. before a screenshot. */
export async function dismissToasts(page: Page): Promise<void> {
  const dismiss = page.getByRole('button', { name: 'Dismiss notification' });
  for (let i = 0; i < 5 && (await dismiss.count()) > 0; i++)
    await dismiss
      .first()
      .click({ timeout: 2_000 })
      .catch(() => undefined);
  await page.mouse.move(5, 5);
  await expect(dismiss).toHaveCount(0, { timeout: 10_000 });
}
