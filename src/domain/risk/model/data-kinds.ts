/**
 * Which families of events the book holds by a day, for the churn model's signature
 * (churn-model.ts): a book that gains a kind of data (tickets, payments… imported after the usage
 * file) is refitted, even without new churn, because the components and the component weights
 * fitted from them (component-weights.ts) now see data they did not. Importing the files one at a
 * time then ends with the same model, and the same health scores, as importing them together.
 */
import { cachedUntilDataChanges } from '../../db/data-version.ts';
import type { Db } from '../../db/open.ts';
import { EVENT_FAMILIES } from '../data-age.ts';
import { dataAgeRepo } from '../data-age-repo.ts';
import { dayNumber } from '../days.ts';

// An absent family costs an index probe per account (about 0.1 s on 50,000), and every scoring
// run and account view asks: kept per day until the data changes.
const byDay = cachedUntilDataChanges(() => new Map<string, string>());

/** The families held on or before `asOf`, by name, joined ("nps+payments+tickets"). */
export function dataKindsOn(db: Db, asOf: string): string {
  const cache = byDay(db);
  const known = cache.get(asOf);
  if (known !== undefined) return known;
  const ages = dataAgeRepo(db);
  const day = dayNumber(asOf);
  const kinds = Object.entries(EVENT_FAMILIES)
    .filter(([, types]) => ages.holds(types, day))
    .map(([family]) => family)
    .sort()
    .join('+');
  cache.set(asOf, kinds);
  return kinds;
}
