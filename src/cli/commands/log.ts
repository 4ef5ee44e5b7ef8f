import type { Command } from 'commander';
import { isIsoDay, toIsoInstant } from '../../domain/contract/dates.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { listInterventions } from '../../domain/interventions/list.ts';
import { logIntervention } from '../../domain/interventions/log.ts';
import { triggerOutcomeSettings } from '../../domain/interventions/settings.ts';
import { isTriggerId, TRIGGER_IDS } from '../../domain/risk/catalog.ts';
import { INTERVENTION_CHANNELS, type InterventionChannel } from '../../shared/dto/interventions.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';
import { wholeNumber } from './interventions-options.ts';

interface LogOptions {
  trigger: string;
  template?: string;
  templateVersion?: number;
  channel: string;
  at?: string;
  note?: string;
  planned?: boolean;
  force?: boolean;
  effort?: number;
  replied?: string | boolean;
}

export function registerLog(program: Command): void {
  withGlobalOptions(program.command('log'))
    .description('log an intervention (a touch sent to an account) so its outcome is measured')
    .argument('<account_id>', 'the account that was contacted')
    .requiredOption('--trigger <id>', `the trigger it answers: ${TRIGGER_IDS.join(', ')}`)
    .option('--template <id>', 'the template used')
    .option('--template-version <n>', 'the template version used', wholeNumber('--template-version', 1, 1_000_000))
    .option('--channel <channel>', `${INTERVENTION_CHANNELS.join('|')}`, 'email')
    .option('--at <date>', 'when it was sent (YYYY-MM-DD or ISO 8601 time; default now)')
    .option('--note <text>', 'a note kept with the intervention')
    .option('--planned', 'log it as planned rather than sent (--at is then the planned time)')
    .option(
      '--force',
      'log it even though the account is in the control group (it is then left out of the uplift) or has had as many proactive touches as the fatigue guard allows (recorded)',
    )
    .option(
      '--effort <1-7>',
      'the customer-effort rating of the reply: 1 very easy … 7 very hard',
      wholeNumber('--effort', 1, 7),
    )
    .option('--replied [when]', 'the customer replied (at this date or time; default now), for the response rate')
    .action((accountId: string, options: LogOptions, command: Command) => {
      const { dbPath, json } = globals(command);
      if (!isTriggerId(options.trigger))
        throw new UsageError(`--trigger must be one of ${TRIGGER_IDS.join(', ')}, not "${options.trigger}".`);
      if (!(INTERVENTION_CHANNELS as readonly string[]).includes(options.channel)) {
        throw new UsageError(`--channel must be one of ${INTERVENTION_CHANNELS.join(', ')}, not "${options.channel}".`);
      }
      if (options.at !== undefined && !isIsoDay(options.at) && !toIsoInstant(options.at)) {
        throw new UsageError(`--at must be a date (YYYY-MM-DD) or an ISO 8601 time, not "${options.at}".`);
      }
      if (typeof options.replied === 'string' && !isIsoDay(options.replied) && !toIsoInstant(options.replied)) {
        throw new UsageError(`--replied must be a date (YYYY-MM-DD) or an ISO 8601 time, not "${options.replied}".`);
      }
      const { db } = openDatabase(dbPath);
      try {
        const now = new Date();
        const triggerId = options.trigger;
        const logged = logIntervention(
          db,
          {
            accountId,
            triggerId,
            templateId: options.template ?? null,
            templateVersion: options.templateVersion ?? null,
            channel: options.channel as InterventionChannel,
            status: options.planned ? 'planned' : 'sent',
            sentAt: options.planned ? null : (options.at ?? null),
            plannedAt: options.planned ? (options.at ?? null) : null,
            notes: options.note ?? null,
            force: options.force === true,
            enforceFatigue: true,
            effortRating: options.effort ?? null,
            repliedAt:
              options.replied === true
                ? now.toISOString()
                : typeof options.replied === 'string'
                  ? options.replied
                  : null,
          },
          now,
        );
        const row = listInterventions(db, { accountId, limit: 1000 }).rows.find(
          (r) => r.intervention_id === logged.intervention_id,
        );
        const result = { ...logged, ...(row ?? {}), holdout: logged.holdout };
        emit(json, result, () => {
          const when = result.sent_at
            ? `sent ${result.sent_at.slice(0, 10)}`
            : `planned for ${result.planned_at?.slice(0, 10) ?? 'later'}`;
          const criterion = triggerOutcomeSettings(db, triggerId).successDescription;
          return [
            `Logged intervention ${result.intervention_id} for ${accountId} (${triggerId}, ${result.channel}), ${when}.`,
            result.due_on
              ? `Success means ${criterion}; it is judged by ${result.due_on}. Status now: ${result.status}.`
              : `Success will mean ${criterion}.`,
            result.holdout
              ? 'The account is in the control group for this trigger, so this intervention is left out of the uplift.'
              : null,
            result.risk_item_id === null
              ? `${triggerId} has not fired on this account, so this touch is tracked but is not part of the uplift (which compares firings).`
              : null,
            result.fatigue_override
              ? 'It was logged past the fatigue cap with --force; the override is recorded on the intervention.'
              : null,
            logged.duplicate_of
              ? `Warning: intervention ${logged.duplicate_of} has the same account, trigger, channel, note and minute; this may be the same touch logged twice.`
              : null,
          ]
            .filter(Boolean)
            .join('\n');
        });
      } finally {
        closeDatabase(db);
      }
    });
}
