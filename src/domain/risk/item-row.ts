/**
 * A risk item's stored row and what its status means, without the code that opens and closes items
 * (items.ts): the ranked list and the account view read items, and importing items.ts would load the
 * trigger catalog and its schemas into every `foresight risks` (issue 16, docs/performance.md).
 */
export type ItemStatus = 'open' | 'in_progress' | 'resolved' | 'dismissed';

export interface RiskItemRow {
  item_id: number;
  account_id: string;
  trigger_id: string;
  status: ItemStatus;
  priority: number;
  tier: 'automated' | 'human';
  evidence: string;
  facts_json: string;
  is_control: 0 | 1;
  first_fired_on: string;
  last_fired_on: string;
  snoozed_until: string | null;
  snooze_reason: string | null;
  closed_on: string | null;
  close_reason: string | null;
  status_changed_at: string;
  created_at: string;
  updated_at: string;
  condition_cleared_on: string | null;
}

export const isLive = (item: Pick<RiskItemRow, 'status'>) => item.status === 'open' || item.status === 'in_progress';
export const isSnoozed = (item: Pick<RiskItemRow, 'snoozed_until' | 'status'>, asOf: string) =>
  isLive(item) && item.snoozed_until !== null && item.snoozed_until > asOf;
/** Closed by a person and the condition has not cleared since: no new item until it does. */
export const isSuppressing = (item: Pick<RiskItemRow, 'status' | 'condition_cleared_on'>) =>
  (item.status === 'dismissed' || item.status === 'resolved') && item.condition_cleared_on === null;
