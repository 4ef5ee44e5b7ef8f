/**
 * The churn model's feature rows for the accounts a scoring run prices, without reading the whole
 * book when only a few accounts changed (issue 16: a 1% events import rescored 20 accounts but
 * built all 2,000 accounts' features, 90% of its cost).
 *
 * Two features are not the account's own: `m:<metric>:vs_peers` compares its level with the mean
 * of accounts of the same tenure, and an event type the book holds but the account lacks counts
 * as "none" (features.ts). A whole-book build keeps both for its day (the tenure buckets' means
 * and the book's event types, in app_meta); a later rescore of a few accounts on the same day
 * builds only their rows, each from its own grouped reads, and takes the book's part from there.
 * The means are those of the day's last whole-book build: the few rescored accounts' own new
 * levels are not in them, which moves a mean by at most their share of the bucket. So a rescore
 * of more than MAX_TOUCHED_SHARE of the book builds the whole book again.
 */
import type { Db } from '../../db/open.ts';
import { metaRepo } from '../../db/repos/meta.ts';
import { dayNumber } from '../days.ts';
import { EVENT_REACH, featureStatements } from './feature-sql.ts';
import {
  aligner,
  buildFeatureColumns,
  buildFeatures,
  peerMeans,
  tenureBucket,
  type FeatureColumns,
  type FeatureFrame,
} from './features.ts';

const PEERS_KEY = 'risk.model_peers';

/** Beyond this share of the book's accounts, a rescore builds every account's features. */
export const MAX_TOUCHED_SHARE = 0.1;

/** The book's part of the features on a day: each level's mean per tenure bucket, and its event types. */
export interface BookPart {
  asOf: string;
  accounts: number;
  /** `m:<metric>:level28` → tenure bucket → mean, for buckets of at least 5 accounts (peerMeans). */
  levels: Record<string, Record<string, number>>;
  eventTypes: string[];
}

const LEVEL = ':level28';

/** Each account's feature row in the model's names, by account id. */
export interface FeatureRows {
  readonly size: number;
  get(accountId: string): Float64Array | undefined;
  keys(): IterableIterator<string>;
}

/**
 * A whole book's rows, each made from the frame's columns in the model's names when asked: the
 * book's rows beside the frame's (an aligned copy, or the frame as rows at all) were about 100 MB
 * each at 100,000 accounts, at the run's peak (issue 16, peak memory).
 */
function alignedOnDemand(frame: FeatureColumns, modelNames: readonly string[]): FeatureRows {
  const position = new Map(frame.names.map((n, j) => [n, j]));
  // The model's names the frame holds, by place in the row; the others stay NaN.
  const held = modelNames.flatMap((n, k) => {
    const j = position.get(n);
    return j === undefined ? [] : [[k, frame.columns[j] as Float64Array] as const];
  });
  const at = new Map(frame.ids.map((id, i) => [id, i]));
  return {
    size: at.size,
    get: (id) => {
      const i = at.get(id);
      if (i === undefined) return undefined;
      const out = new Float64Array(modelNames.length).fill(NaN);
      for (const [k, column] of held) out[k] = column[i] as number;
      return out;
    },
    keys: () => at.keys(),
  };
}

/** The book's part of a whole-book frame (the same sums features.ts compares each account with). */
export function bookPartOf(db: Db, frame: FeatureFrame): BookPart {
  const column = (j: number) => Float64Array.from(frame.rows, (row) => row[j] as number);
  return bookPart(db, frame.asOf, frame.ids, frame.names, column);
}

function bookPart(
  db: Db,
  asOf: string,
  ids: readonly string[],
  names: readonly string[],
  column: (j: number) => Float64Array,
): BookPart {
  const tenure = tenureDays(db, asOf);
  const index = new Map(ids.map((id, i) => [id, i]));
  const levels: BookPart['levels'] = {};
  names.forEach((name, j) => {
    if (!name.endsWith(LEVEL)) return;
    const values = column(j);
    levels[name] = Object.fromEntries(peerMeans(ids, (id) => values[index.get(id) as number] as number, tenure));
  });
  return { asOf, accounts: ids.length, levels, eventTypes: eventTypesOf(names) };
}

/** The book part of a whole-book build, from the means its vs_peers used (the same as bookPart's). */
function bookPartOfColumns(frame: FeatureColumns): BookPart {
  const levels: BookPart['levels'] = {};
  for (const name of frame.names) {
    const means = frame.peers.get(name);
    if (name.endsWith(LEVEL) && means) levels[name] = Object.fromEntries(means);
  }
  return { asOf: frame.asOf, accounts: frame.ids.length, levels, eventTypes: eventTypesOf(frame.names) };
}

const eventTypesOf = (names: readonly string[]) =>
  names.filter((n) => n.startsWith('e:') && n.endsWith(':n180')).map((n) => n.slice(0, -5));

function tenureDays(db: Db, asOf: string, ids?: readonly string[]): Map<string, number> {
  const day = dayNumber(asOf);
  const s = featureStatements(db);
  const rows = ids ? ids.flatMap((id) => s.accountsOne.get(id) ?? []) : s.accountsAll.all();
  const out = new Map<string, number>();
  for (const a of rows) if (a.created_at) out.set(a.account_id, day - dayNumber(a.created_at));
  return out;
}

function storedBookPart(db: Db, asOf: string): BookPart | null {
  const text = metaRepo(db).get(PEERS_KEY);
  if (!text) return null;
  const part = JSON.parse(text) as BookPart;
  return part.asOf === asOf ? part : null;
}

/** One account's row from its own reads, with the book's part added, in the frame's own names. */
function touchedFrame(db: Db, asOf: string, id: string, part: BookPart, tenure: number | undefined): FeatureFrame {
  const own = buildFeatures(db, asOf, id);
  if (own.ids.length === 0) return own;
  const names = [...own.names];
  const values = Array.from(own.rows[0] as Float64Array);
  const at = new Map(names.map((n, j) => [n, j]));
  const put = (name: string, value: number) => {
    const j = at.get(name);
    if (j !== undefined) values[j] = value;
    else {
      at.set(name, names.length);
      names.push(name);
      values.push(value);
    }
  };
  for (const key of part.eventTypes) {
    if (at.has(`${key}:n180`)) continue;
    put(`${key}:n28`, 0);
    put(`${key}:n90`, 0);
    put(`${key}:n180`, 0);
    put(`${key}:since`, EVENT_REACH + 1);
  }
  const bucket = String(tenureBucket(tenure ?? Infinity));
  for (const [name, means] of Object.entries(part.levels)) {
    const j = at.get(name);
    const v = j === undefined ? NaN : (values[j] as number);
    const mean = means[bucket];
    if (v === v && mean !== undefined) put(name.replace(LEVEL, ':vs_peers'), v - mean);
  }
  return { asOf, ids: own.ids, names, rows: [Float64Array.from(values)] };
}

/**
 * Each account's feature row in the model's names (`modelNames`): the given accounts' only when
 * they are few and the day's book part is kept, else every active account's, keeping the book part
 * when `keep` (a scoring run; a read such as the drivers' never writes).
 */
export function featureRows(
  db: Db,
  asOf: string,
  modelNames: readonly string[],
  scope: { accountIds?: readonly string[]; keep?: boolean } = {},
): FeatureRows {
  const ids = scope.accountIds;
  const part = ids ? storedBookPart(db, asOf) : null;
  if (ids && part && ids.length <= part.accounts * MAX_TOUCHED_SHARE) {
    const rows = new Map<string, Float64Array>();
    const tenure = tenureDays(db, asOf, ids);
    for (const id of ids) {
      const frame = touchedFrame(db, asOf, id, part, tenure.get(id));
      const align = aligner(frame.names, modelNames);
      if (frame.rows[0]) rows.set(id, align(frame.rows[0]));
    }
    return rows;
  }
  const frame = buildFeatureColumns(db, asOf);
  if (scope.keep) metaRepo(db).set(PEERS_KEY, JSON.stringify(bookPartOfColumns(frame)));
  return alignedOnDemand(frame, modelNames);
}
