/**
 * The built-in plays, derived from the trigger modules (`triggers/<id>.ts`, listed in
 * `triggers/index.ts`). Everything a team might tune (thresholds, priority, tier, the success
 * criterion, the holdout share) is data in the module, so Settings can override it and no screen
 * or engine hard-codes a number. The risk engine reads `params`; interventions read `success` and
 * `holdoutShare`; outreach keys its templates by `id`.
 */
import { defaultParams, type Priority, type SuccessCriterion, type Tier, type TriggerKind } from './triggers/define.ts';
import { TRIGGER_MODULES } from './triggers/index.ts';

export type { Priority, SuccessCriterion, Tier, TriggerKind } from './triggers/define.ts';

export type TriggerModuleOf = (typeof TRIGGER_MODULES)[number];
export type TriggerId = TriggerModuleOf['id'];

export const TRIGGER_IDS = TRIGGER_MODULES.map((m) => m.id) as readonly TriggerId[] as readonly [
  TriggerId,
  ...TriggerId[],
];

export interface TriggerDefinition {
  id: TriggerId;
  label: string;
  /** One line a CSM reads in a tooltip. */
  description: string;
  priority: Priority;
  tier: Tier;
  /** The effective numbers, every param present (the module's defaults under any override). */
  params: Record<string, number>;
  success: SuccessCriterion;
  successDescription: string;
  /** Share of firings held out as the control group, 0 to 1. */
  holdoutShare: number;
  /** 'opportunity' for plays that are not a risk of loss: they open items but never put an account on the at-risk list. */
  kind: TriggerKind;
}

export const TRIGGER_MODULE_BY_ID = Object.fromEntries(TRIGGER_MODULES.map((m) => [m.id, m])) as {
  [K in TriggerId]: Extract<TriggerModuleOf, { id: K }>;
};

export const DEFAULT_TRIGGERS = Object.fromEntries(
  TRIGGER_MODULES.map((m): [TriggerId, TriggerDefinition] => [
    m.id,
    {
      id: m.id,
      label: m.label,
      description: m.description,
      priority: m.priority,
      tier: m.tier,
      params: defaultParams<Record<string, number>>(m),
      success: m.success,
      successDescription: m.successDescription,
      holdoutShare: m.holdoutShare,
      kind: m.kind,
    },
  ]),
) as Record<TriggerId, TriggerDefinition>;

export function isTriggerId(value: unknown): value is TriggerId {
  return typeof value === 'string' && Object.hasOwn(DEFAULT_TRIGGERS, value);
}

/** Opportunities (an upgrade, a milestone) open items but never count as a risk of loss. */
export function isOpportunity(id: string): boolean {
  return isTriggerId(id) && DEFAULT_TRIGGERS[id].kind === 'opportunity';
}
