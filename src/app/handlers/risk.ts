import { forecastCaveatOn } from '../../domain/risk/forecast-caveat.ts';
import { todayIso } from '../../domain/contract/dates.ts';
import type { Db } from '../../domain/db/open.ts';
import { META_KEYS, metaRepo } from '../../domain/db/repos/meta.ts';
import { UserFacingError } from '../../domain/errors.ts';
import { accountRisk, itemDto } from '../../domain/risk/account-view.ts';
import { DEFAULT_TRIGGERS, TRIGGER_IDS } from '../../domain/risk/catalog.ts';
import { COMPONENT_IDS, COMPONENT_LABELS, DEFAULT_SCORE_CONFIG, effectiveTriggers } from '../../domain/risk/config.ts';
import { configRepo, type ConfigVersion } from '../../domain/risk/config-repo.ts';
import { closeItem, snoozeItem, startItem, unsnoozeItem, type RiskItemRow } from '../../domain/risk/items.ts';
import { listRowDto, riskFacets, riskList } from '../../domain/risk/list.ts';
import { scoreQuality } from '../../domain/risk/quality.ts';
import { snapshotStaleness } from '../../domain/risk/rescore.ts';
import { firstPullSentence } from '../../domain/feed/first-pull.ts';
import { refreshAccountVisibility } from '../../domain/risk/visibility.ts';
import { staleGroup } from '../../domain/risk/stale-group.ts';
import { riskStore } from '../../domain/risk/store.ts';
import type { RiskListPage, ScoreConfigDto } from '../../shared/dto/risk.ts';
import type { AppContext } from '../context.ts';
import type { HandlerMap } from '../dispatcher.ts';
import { progressReporter } from './progress.ts';

/** app_meta key of the user's own owner email, for "my accounts" (the desktop may move it to preferences). */
export const OWNER_IDENTITY_KEY = META_KEYS.ownerIdentity;

/** Whole-book scoring jobs in flight, by database and day, so a burst of list calls starts one job. */
const inFlight = new Map<string, Promise<unknown>>();

/** Starts (once) the whole-book scoring job for `asOf`; the screens reload when it emits data-changed. */
export function scheduleScoring(ctx: AppContext, asOf: string): Promise<unknown> {
  const key = `${ctx.dbPath}|${asOf}`;
  const running = inFlight.get(key);
  if (running) return running;
  const label = 'Scoring accounts';
  const job = ctx.jobs
    .run(
      'risk.score',
      { asOf, accountIds: null, now: ctx.now().toISOString() },
      { label, onProgress: progressReporter(ctx, label) },
    )
    .then((result) => {
      ctx.emit({ type: 'data-changed', kinds: ['risk'] });
      return result;
    })
    .finally(() => inFlight.delete(key));
  inFlight.set(key, job);
  // A failure is logged here; callers that await get it too.
  job.catch((error: unknown) =>
    console.error(`[risk] scoring ${asOf} failed: ${error instanceof Error ? error.message : String(error)}`),
  );
  return job;
}

function hasAccounts(db: Db): boolean {
  return db.prepare('SELECT 1 FROM accounts LIMIT 1').get() !== undefined;
}

export function ownerFilter(ctx: AppContext, owner: string): string | null {
  if (owner === 'all' || owner === '') return null;
  if (owner === 'me') return metaRepo(ctx.db).get(OWNER_IDENTITY_KEY) ?? '\u0000nobody';
  return owner;
}

/** Stale accounts sent with the list's first page; the group says how many more there are. */
const STALE_SHOWN = 50;

function staleOf(group: ReturnType<typeof staleGroup>): Pick<RiskListPage, 'dataThrough' | 'stale'> {
  return {
    dataThrough: group.dataThrough,
    stale: { count: group.count, noData: group.noData, accounts: group.accounts },
  };
}

function configDto(db: Db, active: ConfigVersion): ScoreConfigDto {
  const triggers = effectiveTriggers(active.config);
  return {
    version: active.version,
    note: active.note,
    createdAt: active.createdAt,
    config: active.config as unknown as Record<string, unknown>,
    defaults: DEFAULT_SCORE_CONFIG as unknown as Record<string, unknown>,
    versions: configRepo(db).versions(),
    components: COMPONENT_IDS.map((id) => ({ id, label: COMPONENT_LABELS[id] })),
    triggers: TRIGGER_IDS.map((id) => ({
      id,
      label: DEFAULT_TRIGGERS[id].label,
      description: DEFAULT_TRIGGERS[id].description,
      priority: triggers[id].priority,
      tier: triggers[id].tier,
      params: triggers[id].params,
      defaults: DEFAULT_TRIGGERS[id].params,
      enabled: triggers[id].enabled,
    })),
    segments: db
      .prepare<[], string>('SELECT DISTINCT segment FROM accounts WHERE segment IS NOT NULL ORDER BY segment')
      .pluck()
      .all(),
  };
}

function afterItemChange(ctx: AppContext, item: RiskItemRow) {
  refreshAccountVisibility(ctx.db, item.account_id);
  ctx.emit({ type: 'data-changed', kinds: ['risk'] });
  return itemDto(ctx.db, item, todayIso(ctx.now()), ctx.now().toISOString());
}

export const riskHandlers = {
  'risk.list': (input, ctx): RiskListPage => {
    const requestedAsOf = input.asOf ?? todayIso(ctx.now());
    const staleness = snapshotStaleness(ctx.db, requestedAsOf);
    const notScored = staleness === 'current' ? null : firstPullSentence(ctx.db);
    const scoring = staleness !== 'current' && notScored === null && hasAccounts(ctx.db);
    if (scoring) void scheduleScoring(ctx, requestedAsOf).catch(() => undefined);
    const shown = riskStore(ctx.db).latestSnapshotDay(requestedAsOf);
    const empty = { accounts: 0, arrUsd: 0, expectedArrAtRiskUsd: 0 };
    if (!shown) {
      return {
        rows: [],
        total: 0,
        offset: input.offset,
        asOf: null,
        requestedAsOf,
        scoring,
        notScored,
        totals: empty,
        configVersion: null,
        computedAt: null,
        dataThrough: null,
        forecastCaveat: null,
        stale: { count: 0, noData: 0, accounts: [] },
      };
    }
    const owner = ownerFilter(ctx, input.owner);
    const { rows, total, totals } = riskList(ctx.db, {
      asOf: shown.as_of,
      owner,
      segment: input.segment ?? null,
      band: input.band ?? null,
      trigger: input.trigger ?? null,
      search: input.search,
      sort: input.sort,
      direction: input.direction,
      offset: input.offset,
      limit: input.limit,
    });
    return {
      rows: rows.map(listRowDto),
      total,
      offset: input.offset,
      asOf: shown.as_of,
      requestedAsOf,
      scoring,
      notScored,
      totals,
      configVersion: shown.config_version,
      computedAt: shown.started_at,
      forecastCaveat: forecastCaveatOn(ctx.db, shown.as_of, 'app'),
      ...staleOf(staleGroup(ctx.db, shown.as_of, { owner, segment: input.segment ?? null }, STALE_SHOWN)),
    };
  },

  'risk.facets': (_input, ctx) => ({
    ...riskFacets(ctx.db),
    triggers: TRIGGER_IDS.map((id) => ({
      id,
      label: DEFAULT_TRIGGERS[id].label,
      kind: DEFAULT_TRIGGERS[id].kind ?? 'risk',
    })),
    me: metaRepo(ctx.db).get(OWNER_IDENTITY_KEY),
  }),

  'risk.account': (input, ctx) =>
    accountRisk(ctx.db, input.accountId, input.asOf ?? todayIso(ctx.now()), ctx.now().toISOString()),

  'risk.item.start': (input, ctx) => afterItemChange(ctx, startItem(ctx.db, input.itemId, ctx.now().toISOString())),
  'risk.item.snooze': (input, ctx) =>
    afterItemChange(
      ctx,
      snoozeItem(ctx.db, input.itemId, {
        until: input.until,
        reason: input.reason,
        asOf: todayIso(ctx.now()),
        now: ctx.now().toISOString(),
      }),
    ),
  'risk.item.unsnooze': (input, ctx) =>
    afterItemChange(ctx, unsnoozeItem(ctx.db, input.itemId, ctx.now().toISOString())),
  'risk.item.dismiss': (input, ctx) =>
    afterItemChange(
      ctx,
      closeItem(ctx.db, input.itemId, {
        status: 'dismissed',
        reason: input.reason ?? null,
        asOf: todayIso(ctx.now()),
        now: ctx.now().toISOString(),
      }),
    ),
  'risk.item.resolve': (input, ctx) =>
    afterItemChange(
      ctx,
      closeItem(ctx.db, input.itemId, {
        status: 'resolved',
        reason: input.reason ?? null,
        asOf: todayIso(ctx.now()),
        now: ctx.now().toISOString(),
      }),
    ),

  'risk.me.get': (_input, ctx) => ({ ownerEmail: metaRepo(ctx.db).get(OWNER_IDENTITY_KEY) }),
  'risk.me.set': (input, ctx) => {
    const meta = metaRepo(ctx.db);
    const email = input.ownerEmail?.trim() || null;
    if (email && !/^[^\s@]+@[^\s@]+$/.test(email))
      throw new UserFacingError('INVALID_EMAIL', `"${email}" is not an email address.`);
    if (email) meta.set(OWNER_IDENTITY_KEY, email);
    else meta.remove(OWNER_IDENTITY_KEY);
    ctx.emit({ type: 'data-changed', kinds: ['risk'] });
    return { ownerEmail: email };
  },

  'risk.config.get': (_input, ctx) => configDto(ctx.db, configRepo(ctx.db).active()),
  'risk.config.save': (input, ctx) => {
    const saved = configRepo(ctx.db).save(input.config, input.note?.trim() || null, ctx.now().toISOString());
    // Every stored score names its configuration version; today's ranking is recomputed now.
    if (hasAccounts(ctx.db)) void scheduleScoring(ctx, todayIso(ctx.now())).catch(() => undefined);
    ctx.emit({ type: 'data-changed', kinds: ['risk'] });
    return configDto(ctx.db, saved);
  },

  'risk.quality': (_input, ctx) => scoreQuality(ctx.db, todayIso(ctx.now()), false),

  'risk.rescore': async (input, ctx) => {
    const asOf = input.asOf ?? todayIso(ctx.now());
    if (!hasAccounts(ctx.db))
      throw new UserFacingError(
        'NO_ACCOUNTS',
        'There are no accounts to score yet; load the demo book or import data first.',
      );
    const result = (await scheduleScoring(ctx, asOf)) as { asOf: string; scored: number; atRisk: number; ms: number };
    return { asOf: result.asOf, scored: result.scored, atRisk: result.atRisk, ms: result.ms };
  },
} satisfies Partial<HandlerMap>;
