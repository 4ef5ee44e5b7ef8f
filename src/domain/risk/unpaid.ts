/**
 * Failed payments still unresolved on a day: failures within the window that came after the last
 * successful payment. The billing component scores them and the payment_failing play fires on
 * them, so both say the same number (a failure before a later success was paid; counting it made
 * the play tell a customer "the last 4 attempts didn't go through" when the second was paid).
 */
import { eventsOf, lastIndexOnOrBefore, type AccountBundle } from './bundle.ts';

export interface UnpaidFailures {
  /** Failures in [day − windowDays + 1, day] after the last success on or before the day. */
  count: number;
  /** The newest of them (day number), or null. */
  latestFailedOn: number | null;
  /** The last successful payment on or before the day (day number), or null. */
  lastSucceededOn: number | null;
  /** Its instant ('' when none), to compare with a failure's. */
  lastSucceededAt: string;
}

export function unpaidFailures(bundle: AccountBundle, day: number, windowDays: number): UnpaidFailures {
  const failed = eventsOf(bundle, 'payment_failed');
  const succeeded = eventsOf(bundle, 'payment_succeeded');
  const s = lastIndexOnOrBefore(succeeded, day);
  const lastSucceededAt = s >= 0 ? (succeeded.at[s] as string) : '';
  const windowFrom = day - windowDays + 1;
  let count = 0;
  let latestFailedOn: number | null = null;
  for (let i = lastIndexOnOrBefore(failed, day); i >= 0 && (failed.days[i] as number) >= windowFrom; i--) {
    if ((failed.at[i] as string) > lastSucceededAt) {
      count++;
      latestFailedOn ??= failed.days[i] as number;
    }
  }
  return { count, latestFailedOn, lastSucceededOn: s >= 0 ? (succeeded.days[s] as number) : null, lastSucceededAt };
}
