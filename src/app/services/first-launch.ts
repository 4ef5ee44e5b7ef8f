import { todayIso } from '../../domain/contract/dates.ts';
import { accountsRepo } from '../../domain/db/repos/accounts.ts';
import { META_KEYS, metaRepo } from '../../domain/db/repos/meta.ts';
import type { AppContext } from '../context.ts';

/**
 * A new user's first launch opens on a labelled demo book rather than an empty screen. Once the
 * user clears it, it never comes back by itself.
 */
export async function loadDemoOnFirstLaunch(ctx: AppContext, onStart?: () => void): Promise<boolean> {
  if (accountsRepo(ctx.db).count() > 0) return false;
  if (metaRepo(ctx.db).get(META_KEYS.demoDismissed) === '1') return false;
  onStart?.();
  await ctx.jobs.run(
    'demo.load',
    { accounts: 400, seed: 42, asOf: todayIso(ctx.now()) },
    { label: 'Loading demo data' },
  );
  ctx.emit({ type: 'data-changed', kinds: ['all'] });
  return true;
}
