/**
 * Widening the list of sites external links may open is a security decision, so the page that
 * asks for it (the renderer, or anything holding the web preview's token) cannot make it alone:
 * in the desktop app a native dialog, outside the page, asks the user; in the web preview there is
 * no such dialog, so new hosts come only from configuration (`serve:web --allow-link-host HOST`).
 * Removing hosts narrows what links can do and needs no confirmation.
 */
import { UserFacingError } from '../domain/errors.ts';
import type { NativeBridge } from './native.ts';

export function addedHosts(current: readonly string[], next: readonly string[]): string[] {
  const known = new Set(current.map((host) => host.toLowerCase()));
  return [...new Set(next.map((host) => host.toLowerCase()))].filter((host) => !known.has(host));
}

/** Resolves when the change may be saved; throws a one-sentence UserFacingError otherwise. */
export async function confirmAllowListChange(
  native: NativeBridge | null,
  current: readonly string[],
  next: readonly string[] | undefined,
): Promise<void> {
  if (!next) return;
  const added = addedHosts(current, next);
  if (added.length === 0) return;
  if (!native?.confirm) {
    throw new UserFacingError(
      'ALLOW_LIST_CONFIG_ONLY',
      'In the browser preview, sites are added to the external-link list only when the preview is started (serve:web --allow-link-host HOST), not from the page.',
    );
  }
  const confirmed = await native.confirm({
    title: 'Allow links to new sites?',
    message: `Let Foresight open links to ${added.join(', ')} in your browser?`,
    detail: 'Only allow sites you trust. Links to any other site stay blocked.',
    confirmLabel: 'Allow',
  });
  if (!confirmed)
    throw new UserFacingError('ALLOW_LIST_NOT_CONFIRMED', `${added.join(', ')} was not added: you did not confirm it.`);
}
