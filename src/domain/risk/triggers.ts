/**
 * Runs the trigger modules (`triggers/<id>.ts`) for one account on one day. Every threshold comes
 * from the trigger's params (the module's defaults, overridden by the score configuration); each
 * check returns whether it fired, one sentence a CSM can read (the evidence when it fired, the
 * current state when it did not, which becomes the reason an open item is resolved), and the facts
 * outreach and interventions read.
 */
import type { EffectiveTrigger } from './config.ts';
import { TRIGGER_MODULE_BY_ID, type TriggerId } from './catalog.ts';
import type { CheckContext, Lookback, TriggerContext, TriggerModule } from './triggers/define.ts';
import { TRIGGER_MODULES } from './triggers/index.ts';

export type { Band, TriggerContext } from './triggers/define.ts';

export interface TriggerCheck {
  id: TriggerId;
  fired: boolean;
  /** Evidence when fired; the current state otherwise ('' when it was not asked for). */
  text: string;
  facts: Record<string, unknown>;
}

type Catalog = Record<TriggerId, EffectiveTrigger>;

/**
 * Each configuration's params, validated by their modules' schemas once, not once per account; so
 * without zod's compiled fast path (jitless), whose code generation for sixteen schemas cost a
 * one-shot `foresight account` a few ms and pays off only for schemas parsed many times.
 */
const parsedByCatalog = new WeakMap<Catalog, Map<string, unknown>>();

function parsedParams(triggers: Catalog): Map<string, unknown> {
  let parsed = parsedByCatalog.get(triggers);
  if (!parsed) {
    parsed = new Map(TRIGGER_MODULES.map((m) => [m.id, m.params.parse(triggers[m.id].params, { jitless: true })]));
    parsedByCatalog.set(triggers, parsed);
  }
  return parsed;
}

/**
 * Evaluates every enabled trigger for one account on one day, in catalog order. A check that did
 * not fire has its sentence written only when `wantText` asks for it (default: always).
 */
export function checkTriggers(
  ctx: TriggerContext,
  triggers: Catalog,
  wantText: (id: TriggerId) => boolean = () => true,
): TriggerCheck[] {
  const params = parsedParams(triggers);
  const context: CheckContext = { ...ctx, paramsOf: <P>(m: TriggerModule<P>) => params.get(m.id) as P };
  const out: TriggerCheck[] = [];
  for (const definition of Object.values(triggers)) {
    if (!definition.enabled) continue;
    const module: TriggerModule<unknown> = TRIGGER_MODULE_BY_ID[definition.id];
    if (waitsForData(module, ctx)) {
      out.push({ id: definition.id, fired: false, text: waitingText(module), facts: {} });
      continue;
    }
    const result = module.check(context, params.get(definition.id));
    out.push({
      id: definition.id,
      fired: result.fired,
      text: result.fired || wantText(definition.id) ? result.text() : '',
      facts: result.facts as Record<string, unknown>,
    });
  }
  return out;
}

/** A check that reads the absence of events waits until the book holds some (define.ts, `needs`). */
function waitsForData(module: TriggerModule<unknown>, ctx: TriggerContext): boolean {
  // Unknown coverage (a lone evaluation without the book's) counts as present, as bookHas does.
  const since = ctx.bundle.book?.needsSince?.[module.id];
  return since !== undefined && (since === null || since > ctx.day);
}

function waitingText(module: TriggerModule<unknown>): string {
  return `Not checked yet: the book holds no ${module.needs?.events.join(' or ')} events.`;
}

/** How far back each trigger reads under this configuration (enabled or not, so a re-enable needs no reload). */
export function triggerLookbacks(triggers: Catalog): Lookback[] {
  const params = parsedParams(triggers);
  return TRIGGER_MODULES.map((m) => (m as TriggerModule<unknown>).lookback(params.get(m.id)));
}
