/**
 * `hub serve --demo`: the app's demo book (src/domain/demo) loaded into the hub, and each of its
 * owners made a csm user (without a token: `hub user add` gives one). Records from the generator
 * already satisfy the contract, so they go straight to the staging merge.
 */
import { generateDemoBook, type DemoOptions } from '../../domain/demo/index.ts';
import type { RecordKind } from '../../shared/dto/core.ts';
import { DEFAULT_TEAM, ensureUser } from '../auth/users.ts';
import type { HubStore } from '../store/store.ts';
import { mergeRecords, WRITER_LOCK, type StagedRecord } from './stage.ts';

export interface HubDemoResult {
  accounts: number;
  contacts: number;
  metrics: number;
  events: number;
  owners: string[];
}

export async function loadDemoIntoHub(store: HubStore, options: DemoOptions = {}): Promise<HubDemoResult> {
  const batches: Record<RecordKind, StagedRecord[]> = { accounts: [], contacts: [], metrics: [], events: [] };
  const owners = new Set<string>();
  for (const bundle of generateDemoBook(options)) {
    batches.accounts.push({ line: null, record: bundle.account });
    if (bundle.account.owner_email) owners.add(bundle.account.owner_email);
    for (const record of bundle.contacts) batches.contacts.push({ line: null, record });
    for (const record of bundle.metrics) batches.metrics.push({ line: null, record });
    for (const record of bundle.events) batches.events.push({ line: null, record });
  }
  await store.transaction(async (tx) => {
    await tx.query(WRITER_LOCK);
    for (const kind of ['accounts', 'contacts', 'metrics', 'events'] as const)
      await mergeRecords(store, tx, kind, batches[kind]);
    for (const email of owners) await ensureUser(tx, { email, role: 'csm', team: DEFAULT_TEAM });
    await tx.query(
      `INSERT INTO hub_audit (actor_email, action, kind, count, detail) VALUES ('hub', 'demo load', 'accounts', $1, $2)`,
      [batches.accounts.length, `${owners.size} owners as csm users`],
    );
  });
  return {
    accounts: batches.accounts.length,
    contacts: batches.contacts.length,
    metrics: batches.metrics.length,
    events: batches.events.length,
    owners: [...owners].sort(),
  };
}
