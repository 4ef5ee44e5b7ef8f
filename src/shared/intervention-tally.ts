/**
 * The one way every surface (Interventions, Outcomes, the CLI, the export) breaks a set of
 * interventions down: open, then the three outcomes. Each status falls in exactly one part, so the
 * parts always add up to the total; a surface that listed only some of them showed sums that did not.
 */
export const TALLY_PARTS = ['open', 'succeeded', 'failed', 'expired'] as const;
export type TallyPart = (typeof TALLY_PARTS)[number];
export type Tally = Record<TallyPart, number>;

/**
 * Succeeded, failed and expired are outcomes; anything else (planned, sent, or a merged file's
 * "pending") has no outcome yet, so it is open.
 */
export function tallyPart(status: string): TallyPart {
  return status === 'succeeded' || status === 'failed' || status === 'expired' ? status : 'open';
}

const emptyTally = (): Tally => ({ open: 0, succeeded: 0, failed: 0, expired: 0 });

/** The tally of one status per intervention. */
export function tallyStatuses(statuses: Iterable<string>): Tally {
  const tally = emptyTally();
  for (const status of statuses) tally[tallyPart(status)] += 1;
  return tally;
}

/** The tally of counts by status (e.g. the interventions list's `counts`). */
export function tallyCounts(counts: Readonly<Record<string, number>>): Tally {
  const tally = emptyTally();
  for (const [status, n] of Object.entries(counts)) tally[tallyPart(status)] += n;
  return tally;
}

export const tallyTotal = (tally: Tally): number => TALLY_PARTS.reduce((sum, part) => sum + tally[part], 0);

/** "5 open, 83 succeeded, 49 failed, 9 expired": the parts that are not zero, in the one order. */
export function tallyText(tally: Tally, formatNumber: (n: number) => string = String): string {
  return TALLY_PARTS.filter((part) => tally[part] > 0)
    .map((part) => `${formatNumber(tally[part])} ${part}`)
    .join(', ');
}

/** The tally an outcome report row already holds (its `pending` is the open part). */
export const outcomeTally = (row: { pending: number; succeeded: number; failed: number; expired: number }): Tally => ({
  open: row.pending,
  succeeded: row.succeeded,
  failed: row.failed,
  expired: row.expired,
});
