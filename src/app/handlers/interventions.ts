import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { todayIso } from '../../domain/contract/dates.ts';
import { UserFacingError } from '../../domain/errors.ts';
import { exportOutcomes } from '../../domain/export/outcome-export.ts';
import { importOutcomeFiles, type OutcomeFile } from '../../domain/export/merge-import.ts';
import { importedRepo } from '../../domain/interventions/imported-repo.ts';
import { listInterventions, toListRow } from '../../domain/interventions/list.ts';
import { isAccountHeldOut, logIntervention } from '../../domain/interventions/log.ts';
import { outcomesRepo } from '../../domain/interventions/outcomes-repo.ts';
import { buildOutcomeReport } from '../../domain/interventions/report.ts';
import { notAfterToday } from '../../domain/interventions/not-after-now.ts';
import {
  holdoutShareFor,
  loadTriggerOutcomeSettings,
  saveTriggerOutcomeSettings,
} from '../../domain/interventions/settings.ts';
import {
  rateIntervention,
  recordReply,
  setInterventionNotes,
  setInterventionStatus,
} from '../../domain/interventions/status.ts';
import { DEFAULT_TRIGGERS, isTriggerId, type SuccessCriterion, type TriggerId } from '../../domain/risk/catalog.ts';
import type { InterventionListRow, TriggerOutcomeSettingsDto } from '../../shared/dto/interventions.ts';
import type { ChangeKind } from '../../shared/events.ts';
import type { AppContext } from '../context.ts';
import type { HandlerMap } from '../dispatcher.ts';
import { evaluateIfStale } from '../jobs/outcomes.ts';
import { deliverFile } from '../services/deliver-file.ts';
import { progressReporter } from './progress.ts';

const KINDS: ChangeKind[] = ['interventions', 'outcomes'];
const changed = (ctx: AppContext) => ctx.emit({ type: 'data-changed', kinds: KINDS });
const today = (ctx: AppContext) => todayIso(ctx.now());

/**
 * Outcomes are re-judged on the first read of a new day (so "on day change" needs no timer) and
 * after any data change that the after-data-change step did not already cover.
 */
function fresh(ctx: AppContext): void {
  const summary = evaluateIfStale(ctx.db, today(ctx), ctx.now());
  if (summary && summary.interventions.changed + summary.control.changed > 0) changed(ctx);
}

function trigger(id: string): TriggerId {
  if (!isTriggerId(id)) throw new UserFacingError('UNKNOWN_TRIGGER', `There is no trigger called "${id}".`);
  return id;
}

function rowsById(ctx: AppContext, ids: readonly string[]): InterventionListRow[] {
  return outcomesRepo(ctx.db).treatedByIds(ids).map(toListRow);
}

function settingsDto(ctx: AppContext): TriggerOutcomeSettingsDto[] {
  return [...loadTriggerOutcomeSettings(ctx.db).values()].map((s) => ({
    trigger_id: s.triggerId,
    label: DEFAULT_TRIGGERS[s.triggerId].label,
    success: { ...s.success },
    success_description: s.successDescription,
    holdout_share: s.holdoutShare,
    default_success_description: DEFAULT_TRIGGERS[s.triggerId].successDescription,
    default_holdout_share: DEFAULT_TRIGGERS[s.triggerId].holdoutShare,
    overridden: { success: s.overridden.success, holdout_share: s.overridden.holdoutShare },
  }));
}

async function reevaluate(ctx: AppContext, label: string) {
  const result = await ctx.jobs.run(
    'outcomes.evaluate',
    { asOf: today(ctx), accountIds: null },
    { label, onProgress: progressReporter(ctx, label) },
  );
  changed(ctx);
  return result;
}

export const interventionHandlers = {
  'interventions.list': (input, ctx) => {
    fresh(ctx);
    return listInterventions(ctx.db, input);
  },

  'interventions.log': (input, ctx) => {
    const record = logIntervention(
      ctx.db,
      { ...input, triggerId: trigger(input.triggerId), enforceFatigue: true },
      ctx.now(),
    );
    changed(ctx);
    return record;
  },

  'interventions.setStatus': (input, ctx) => {
    const result = setInterventionStatus(ctx.db, input, ctx.now());
    if (result.updated > 0) changed(ctx);
    return { ...result, rows: rowsById(ctx, input.ids) };
  },

  'interventions.update': (input, ctx) => {
    // One change, all or nothing: a refused field (a reply time in the future) must not leave the
    // fields before it saved while the caller is told the change failed.
    const any = ctx.db.transaction(() => {
      let touched = false;
      if (input.effortRating !== undefined)
        touched = rateIntervention(ctx.db, input.id, input.effortRating ?? null, ctx.now()) || touched;
      if (input.notes !== undefined)
        touched = setInterventionNotes(ctx.db, input.id, input.notes ?? null, ctx.now()) || touched;
      if (input.repliedAt !== undefined)
        touched = recordReply(ctx.db, input.id, input.repliedAt ?? null, ctx.now()) || touched;
      return touched;
    })();
    if (any) changed(ctx);
    const [row] = rowsById(ctx, [input.id]);
    if (!row) throw new UserFacingError('NOT_FOUND', `There is no intervention with the id "${input.id}".`);
    return row;
  },

  'interventions.heldOut': (input, ctx) => {
    const triggerId = trigger(input.triggerId);
    return {
      heldOut: isAccountHeldOut(ctx.db, input.accountId, triggerId, input.asOf ?? today(ctx)),
      share: holdoutShareFor(ctx.db, triggerId),
    };
  },

  'outcomes.report': (input, ctx) => {
    fresh(ctx);
    return buildOutcomeReport(ctx.db, {
      asOf: notAfterToday(input.asOf ?? today(ctx), ctx.now()),
      by: input.by,
      from: input.from,
      to: input.to,
      includeImported: input.includeImported,
      includeOverrides: input.includeOverrides,
    });
  },

  'outcomes.evaluate': (_input, ctx) => reevaluate(ctx, 'Evaluating intervention outcomes'),

  'outcomes.export': async (input, ctx) => {
    const file = await exportOutcomes(ctx.db, {
      format: input.format,
      asOf: notAfterToday(input.asOf ?? today(ctx), ctx.now()),
      from: input.from,
      to: input.to,
      includeImported: input.includeImported,
      generatedAt: ctx.now(),
    });
    return deliverFile(ctx, { ...file, format: input.format });
  },

  'outcomes.import': async (input, ctx) => {
    let files: OutcomeFile[];
    if (input.files && input.files.length > 0) {
      files = input.files.map((f) => ({
        name: basename(f.name),
        data: new Uint8Array(Buffer.from(f.base64, 'base64')),
      }));
    } else if (ctx.native) {
      const paths = await ctx.native.chooseFiles({
        title: 'Merge outcome exports',
        filters: [{ name: 'Outcome exports', extensions: ['csv', 'xlsx'] }],
        multiple: true,
      });
      files = paths.map((path) => ({ name: basename(path), data: new Uint8Array(readFileSync(path)) }));
    } else {
      throw new UserFacingError('NO_FILES', 'Choose one or more exported outcome files (CSV or XLSX) to merge.');
    }
    const result = await importOutcomeFiles(ctx.db, files, ctx.now());
    if (result.added + result.updated > 0) changed(ctx);
    return result;
  },

  'outcomes.clearImported': (_input, ctx) => {
    const removed = importedRepo(ctx.db).clear();
    if (removed > 0) changed(ctx);
    return { removed };
  },

  'outcomes.settings': (_input, ctx) => settingsDto(ctx),

  'outcomes.saveSettings': async (input, ctx) => {
    const change: { success?: SuccessCriterion | null; holdoutShare?: number | null } = {};
    if (input.success !== undefined) change.success = (input.success ?? null) as SuccessCriterion | null;
    if (input.holdoutShare !== undefined) change.holdoutShare = input.holdoutShare ?? null;
    saveTriggerOutcomeSettings(ctx.db, trigger(input.triggerId), change, ctx.now());
    // A changed criterion changes verdicts: judge everything again.
    if (change.success !== undefined) await reevaluate(ctx, 'Re-evaluating outcomes with the new criterion');
    return settingsDto(ctx);
  },
} satisfies Partial<HandlerMap>;
