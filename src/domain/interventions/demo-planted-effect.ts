/**
 * The demo's history is an experiment with a known answer, so its Outcomes screen can be checked:
 * payment outreach raises the chance that a failed payment is fixed within the week from 50% to
 * 75% (+25 points); every other play has no effect (their outcomes come from the demo data, which
 * was generated without knowing who would be contacted).
 *
 * For each historical payment firing the payments after the failure are rewritten: the
 * payment_succeeded events in the week after the firing are removed, and one is planted after the
 * episode opens (after the outreach for the treated, after the firing for the control group) with
 * the group's probability. The draw is stable, so the demo is the same on every machine.
 */
import { createHash } from 'node:crypto';
import { addDays } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';

export const PLANTED_EFFECT = { triggerId: 'payment_failing', controlRate: 0.5, treatedRate: 0.75 } as const;

/** Planted events carry this id prefix, so clearing the demo history removes them. */
export const PLANTED_EVENT_PREFIX = 'demo_planted:';

/** A stable number in [0, 1) from text, so the history is the same on every run. */
export function draw(...parts: string[]): number {
  return createHash('sha256').update(parts.join('\u001f')).digest().readUInt32BE(0) / 2 ** 32;
}

export interface PlantedEpisode {
  accountId: string;
  /** The instant of the failed payment that fired the trigger. */
  firedAt: string;
  /** The first instant evidence counts: after the outreach, or the day after the firing. */
  opensAt: string;
  treated: boolean;
}

export function plantedEffectWriter(db: Db) {
  const removeSuccesses = db.prepare<[string, string, string]>(
    `DELETE FROM events WHERE account_id = ? AND type = 'payment_succeeded' AND occurred_at > ? AND occurred_at < ?`,
  );
  const insert = db.prepare<[string, string, string, number | null]>(
    `INSERT OR REPLACE INTO events (event_id, account_id, occurred_at, type, value, contact_id, detail)
     VALUES (?, ?, ?, 'payment_succeeded', ?, NULL, 'Paid after the failed payment (demo: planted outcome)')`,
  );
  const amount = db
    .prepare<[string], number | null>('SELECT round(arr / 12.0, 2) FROM accounts WHERE account_id = ?')
    .pluck();
  const clear = db.prepare(`DELETE FROM events WHERE event_id LIKE '${PLANTED_EVENT_PREFIX}%'`);
  return {
    clear: () => clear.run().changes,
    /** Rewrites the week after one payment firing; returns whether it planted a success. */
    plant(episode: PlantedEpisode): boolean {
      const opensOn = episode.opensAt.slice(0, 10);
      removeSuccesses.run(episode.accountId, episode.firedAt, `${addDays(opensOn, 9)}T00:00:00.000Z`);
      const u = draw('planted', episode.accountId, episode.firedAt);
      const rate = episode.treated ? PLANTED_EFFECT.treatedRate : PLANTED_EFFECT.controlRate;
      if (u >= rate) return false;
      // Paid 1 to 5 days after the episode opens: inside every 7-day window, never on the firing day.
      const on = addDays(opensOn, 1 + Math.floor(draw('planted-day', episode.accountId, episode.firedAt) * 5));
      insert.run(
        `${PLANTED_EVENT_PREFIX}${episode.accountId}:${episode.firedAt}`,
        episode.accountId,
        `${on}T10:00:00.000Z`,
        amount.get(episode.accountId) ?? null,
      );
      return true;
    },
  };
}
