/**
 * Protocol 1.1 (docs/feed-protocol.md, "Team hub"): after the four record kinds, ask the source
 * what it is (GET /v1/capabilities; a 404 is a plain v1 feed, not an error), pull the log kinds it
 * offers (colleagues' item actions, interventions and activities) with their own cursors and
 * ETags, and after the interventions outbox send the activities and item actions it has not yet
 * acknowledged, 100 per POST. Every item is idempotent by its id on both sides, a batch is marked
 * sent only after the source's 2xx, so a sync killed anywhere resumes with nothing duplicated.
 */
import type { TeamCounts, TeamLogKind, TeamUser } from '../../shared/dto/sync.ts';
import { applyEpisode } from '../item-actions/merge.ts';
import { itemActionsRepo } from '../item-actions/repo.ts';
import { FeedServerError, MalformedPageError } from './http.ts';
import { pullPages, type SyncRun } from './sync-source.ts';
import { STORE_LOG_PAGE } from './team-items.ts';
import { LOG_KINDS, teamRepo, type LogKind, type PushedKind } from './team-repo.ts';

const BATCH = 100;
const ROLES = new Set(['csm', 'lead', 'admin']);

export interface Capabilities {
  protocol: string;
  pull: LogKind[];
  push: string[];
  user: TeamUser | null;
}

const emptyKinds = (): Record<TeamLogKind, number> => ({ item_actions: 0, interventions: 0, activities: 0 });
export const emptyTeamCounts = (): TeamCounts => ({ pulled: emptyKinds(), pushed: emptyKinds(), pushedControl: 0 });

/** GET /v1/capabilities: the hub's answer, or null for a plain v1 feed (404). Stored for the Sync screen. */
export async function readCapabilities(run: SyncRun): Promise<Capabilities | null> {
  const repo = teamRepo(run.db);
  let json: unknown;
  try {
    const response = await run.request(`${run.source.url}/v1/capabilities`, 'its capabilities', null);
    json = response.type === 'page' ? response.json : null;
  } catch (error) {
    // A plain feed answers 404 (or anything that is not the protocol's JSON): it is simply not a hub.
    const plain =
      error instanceof MalformedPageError ||
      (error instanceof FeedServerError && (error.status === 404 || error.status === 405));
    if (!plain) throw error;
    json = null;
  }
  const caps = parseCapabilities(json);
  run.db.transaction(() =>
    repo.saveCapabilities({
      source: run.source.name,
      protocol: caps?.protocol ?? null,
      pull_json: JSON.stringify(caps?.pull ?? []),
      push_json: JSON.stringify(caps?.push ?? []),
      user_email: caps?.user?.email ?? null,
      user_role: caps?.user?.role ?? null,
      checked_at: run.iso(),
    }),
  )();
  return caps;
}

function parseCapabilities(json: unknown): Capabilities | null {
  if (typeof json !== 'object' || json === null) return null;
  const body = json as { protocol?: unknown; pull?: unknown; push?: unknown; user?: unknown };
  if (typeof body.protocol !== 'string') return null;
  const list = (value: unknown) =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const user = body.user as { email?: unknown; role?: unknown } | null | undefined;
  return {
    protocol: body.protocol.slice(0, 20),
    pull: LOG_KINDS.filter((kind) => list(body.pull).includes(kind)),
    push: list(body.push),
    user:
      user && typeof user.email === 'string' && typeof user.role === 'string' && ROLES.has(user.role)
        ? { email: user.email.slice(0, 320), role: user.role as TeamUser['role'] }
        : null,
  };
}

/** Pulls each log kind the hub offers, each page and its cursor in one transaction. */
export async function pullLogs(run: SyncRun, caps: Capabilities, counts: TeamCounts): Promise<void> {
  const { db, source } = run;
  const repo = teamRepo(db);
  for (const kind of caps.pull) {
    await pullPages(run, kind, {
      cursor: () => repo.cursor(source.name, kind),
      resetCursor: () => db.transaction(() => repo.saveCursor(source.name, kind, null, null, run.iso()))(),
      writePage: (origin, parsed, cursor, etag) =>
        db
          .transaction(() => {
            const now = run.iso();
            const stored = STORE_LOG_PAGE[kind](
              { db, source: source.name, now, changed: run.options.changed, origin },
              parsed.items,
            );
            repo.saveCursor(source.name, kind, parsed.next ?? cursor, parsed.next === null ? etag : null, now);
            counts.pulled[kind] += stored.added;
            run.counts.accepted.events += stored.touches;
            run.counts.rejected += stored.errors.length;
            run.counts.errors.push(...stored.errors.slice(0, Math.max(0, 1000 - run.counts.errors.length)));
          })
          .immediate(),
      quarantine: (_origin, error) => void run.problems.push(error.message),
    });
  }
}

/**
 * Sends local activities (to a hub, and to a plain feed until it answers 404 once) and local item
 * actions (to a hub that takes them). A 422 (an account outside the token's book) makes the kind
 * go one item at a time; an item refused on its own is reported with the hub's sentence and not
 * offered to that source again, so it never holds back the rest.
 */
export async function pushLogs(run: SyncRun, caps: Capabilities | null, counts: TeamCounts): Promise<void> {
  const repo = teamRepo(run.db);
  const takesActivities = caps
    ? caps.push.includes('activities')
    : repo.capabilities(run.source.name)?.takes_activities !== 0;
  if (takesActivities) await pushKind(run, 'activities', counts, caps === null);
  if (caps?.push.includes('item_actions')) await pushKind(run, 'item_actions', counts, false);
}

async function pushKind(run: SyncRun, kind: PushedKind, counts: TeamCounts, plainFeed: boolean): Promise<void> {
  const { db, source } = run;
  const repo = teamRepo(db);
  const actions = itemActionsRepo(db);
  const pendingCount = () =>
    kind === 'activities' ? repo.pendingActivityCount(source.name) : actions.pendingCount(source.name);
  // Bounded: whatever is logged while we push waits for the next sync.
  const limit = pendingCount() + BATCH;
  let sent = 0;
  // After a 422 the batch is sent one item at a time, so one item outside the book holds back nothing else.
  let size = BATCH;
  while (sent < limit) {
    const batch =
      kind === 'activities'
        ? repo.pendingActivities(source.name, size).map((a) => ({ id: a.activity_id, item: a }))
        : actions
            .pending(source.name, size)
            .map(({ origin: _o, received_at: _r, ...a }) => ({ id: a.action_id, item: a }));
    if (batch.length === 0) return;
    let refused = false;
    try {
      await run.request(
        `${source.url}/v1/${kind}`,
        `sending ${kind.replace('_', ' ')}`,
        null,
        'POST',
        JSON.stringify({ items: batch.map((b) => b.item) }),
      );
    } catch (error) {
      if (!(error instanceof FeedServerError)) throw error;
      if (plainFeed && error.status === 404) {
        // This feed does not take activities: remember it, and do not ask again until its URL changes.
        db.transaction(() => repo.setTakesActivities(source.name, false))();
        return;
      }
      if (error.status !== 422) throw error;
      if (batch.length > 1) {
        size = 1;
        continue;
      }
      // The hub will never take this one (its account is outside the token's book): say so, and
      // mark it handled for this source so it does not block the queue for ever.
      run.problems.push(error.message);
      refused = true;
    }
    db.transaction(() => {
      const at = run.iso();
      for (const { id, item } of batch) {
        repo.acknowledge(source.name, kind, id, at);
        // A local action may be older than a colleague's already here: the merge decides.
        if (kind === 'item_actions' && !refused) {
          const action = item as { account_id: string; trigger_id: string };
          if (applyEpisode(db, action.account_id, action.trigger_id, at)) run.options.changed.add(action.account_id);
        }
      }
      if (plainFeed) repo.setTakesActivities(source.name, true);
    })();
    if (refused) {
      sent += batch.length;
      continue;
    }
    sent += batch.length;
    counts.pushed[kind] += batch.length;
    run.options.onProgress?.({ source: source.name, kind: 'outbox', page: 0, items: sent });
  }
}
