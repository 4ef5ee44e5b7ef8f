/**
 * P(churn) as every surface prints it (CLI, UI, the account's explanation): whole percents, but
 * never "0%" or "100%". A calibrated probability is never certain (the model keeps it within
 * 0.1%–99%), and "0%" reads as "cannot churn", so below 1% is "<1%" and above 99% is ">99%".
 * `percent` formats a ratio as a whole percent: the renderer passes its locale's Intl formatter;
 * the CLI's default starts no ICU (a first Intl formatter costs ~13 ms of a one-shot command).
 */
export function pChurnText(probability: number, percent: (ratio: number) => string = wholePercent): string {
  if (probability < 0.01) return `<${percent(0.01)}`;
  if (probability > 0.99) return `>${percent(0.99)}`;
  return percent(probability);
}

const wholePercent = (ratio: number) => `${Math.round(ratio * 100)}%`;
