/**
 * Why an account has no health score, band or P(churn) to show: its data stopped arriving (stale)
 * or never arrived (no data). A score from such data is no evidence of health and a forecast from
 * it is none either, so every surface shows null with this reason (docs/risk-engine.md, "Stale and
 * missing data"). Declared once for the domain, the CLI and the renderer.
 */
export const DATA_GAPS = ['stale', 'no_data'] as const;
export type DataGap = (typeof DATA_GAPS)[number];

/** The reason in words, as "—, stale data" and "no score (no data)" print it. */
export const DATA_GAP_WORDS: Record<DataGap, string> = { stale: 'stale data', no_data: 'no data' };

/**
 * Accounts left out of a forecast, by reason: "4 with stale data and 3 with no data". `count`
 * formats a number in the caller's locale.
 */
export function leftOutByGap(stale: number, noData: number, count: (n: number) => string = String): string {
  const parts = [
    stale > 0 ? `${count(stale)} with ${DATA_GAP_WORDS.stale}` : null,
    noData > 0 ? `${count(noData)} with ${DATA_GAP_WORDS.no_data}` : null,
  ].filter((part): part is string => part !== null);
  return parts.join(' and ');
}
