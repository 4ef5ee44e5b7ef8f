/**
 * Whether this book's own history supports the P(churn) and expected ARR at risk shown, and the
 * short caveat when it does not. The default curve is in use exactly when the book's outcomes
 * could not validate anything (too little history, too few churned accounts, or a health score
 * whose backtest interval includes 0.5); a fitted model whose reported backtest interval reaches
 * 0.5 is no better supported. Then Today, the account page and `foresight risks` say so, rather
 * than presenting an assumed curve's percentages and dollars as facts about the account.
 */
import type { Db } from '../db/open.ts';
import type { ChurnModel } from './model/churn-model.ts';
import { storedModelOn } from './model/stored-model.ts';

/** Where the reader finds the reason: Settings in the app, `foresight score-quality` in the CLI. */
export type CaveatPlace = 'app' | 'cli';

const WHERE: Record<CaveatPlace, string> = {
  app: 'Settings → Health score says why',
  cli: 'foresight score-quality says why',
};

/** The caveat for the model in use, or null when the book's backtest supports it. */
export function forecastCaveat(model: Pick<ChurnModel, 'method' | 'report'>, place: CaveatPlace): string | null {
  if (model.method === 'default')
    return `P(churn) and expected ARR at risk come from the default curve, not validated on this book's history (${WHERE[place]}).`;
  const ci = model.report?.overall.aucCi ?? null;
  if (ci === null || ci[0] <= 0.5)
    return `P(churn) and expected ARR at risk are not validated on this book's history: its backtest cannot tell the ranking from chance (${WHERE[place]}).`;
  return null;
}

/** The caveat for the model in use on `asOf` (the newest stored on or before it, as the ranking reads it). */
export function forecastCaveatOn(db: Db, asOf: string, place: CaveatPlace): string | null {
  // Only the method and its backtest are read: the curve a missing model would fall back to is not.
  return forecastCaveat(storedModelOn(db, asOf, { intercept: 0, slope: 0 }), place);
}
