/**
 * The evidence behind a risk item, told the way the customer sees it. The risk engine stores
 * internal facts (metric names, ratios, counts) in risk_items.facts_json; a customer must never
 * read those names, so each trigger module words its own facts (`customer` in
 * `risk/triggers/<id>.ts`), from the same facts and params as the CSM's evidence. Here the stored
 * facts are read back with the module's schema and handed to it.
 */
import { TRIGGER_MODULE_BY_ID, type TriggerId } from '../risk/catalog.ts';
import {
  NO_EVIDENCE,
  readFacts,
  type CustomerContext,
  type CustomerEvidence,
  type TriggerModule,
} from '../risk/triggers/define.ts';

export { NO_EVIDENCE } from '../risk/triggers/define.ts';
export type { CustomerEvidence } from '../risk/triggers/define.ts';
export type EvidenceContext = CustomerContext;

type Facts = Record<string, unknown>;

export function parseFacts(json: string | null | undefined): Facts {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Facts) : {};
  } catch {
    return {};
  }
}

/**
 * The customer's evidence for an item of `triggerId`. `params` are the trigger's effective params
 * (the score configuration's); a fact the firing recorded (such as the window it measured) wins
 * over them, and the module's defaults fill in what neither gives.
 */
export function customerEvidence(
  triggerId: TriggerId | null,
  factsJson: string | null | undefined,
  ctx: EvidenceContext,
  params: Record<string, number> = {},
): CustomerEvidence {
  if (!triggerId) return NO_EVIDENCE;
  const module: TriggerModule<unknown, Facts> = TRIGGER_MODULE_BY_ID[triggerId];
  const parsed = module.params.safeParse(params);
  const effective = parsed.success ? parsed.data : module.params.parse({});
  return module.customer(readFacts(module, parseFacts(factsJson)), effective, ctx);
}
