import type { Command } from 'commander';
import { isIsoDay, toIsoInstant } from '../../domain/contract/dates.ts';
import { accountsRepo } from '../../domain/db/repos/accounts.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { isOutreachChannel, OUTREACH_CHANNELS, type OutreachChannel } from '../../domain/outreach/channels.ts';
import { buildDraft } from '../../domain/outreach/draft.ts';
import { loadOutreachSettings, isTimeZone } from '../../domain/outreach/settings.ts';
import { instantOf } from '../../domain/outreach/zoned-time.ts';
import type { Db } from '../../domain/db/open.ts';
import { hasErrorCode, UserFacingError } from '../../domain/errors.ts';
import { EXIT } from '../exit-codes.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';

interface DraftOptions {
  trigger?: string;
  template?: string;
  channel?: string;
  asOf?: string;
}

/**
 * --as-of takes an instant, or a day: a bare day means 10:00 in the account's time zone, a
 * working-hours moment, so the same command gives the same draft on any machine.
 */
export function resolveAsOf(db: Db, accountId: string, asOf: string | undefined): Date {
  if (asOf === undefined) return new Date();
  if (isIsoDay(asOf)) {
    const zone = accountsRepo(db).get(accountId)?.timezone;
    const tz = zone && isTimeZone(zone) ? zone : loadOutreachSettings(db).activeHours.fallbackTimeZone;
    const [year, month, day] = asOf.split('-').map(Number) as [number, number, number];
    return instantOf({ year, month, day, hour: 10, minute: 0 }, tz);
  }
  const instant = toIsoInstant(asOf);
  if (!instant) throw new UsageError(`--as-of must be a date (YYYY-MM-DD) or an ISO 8601 time, not "${asOf}".`);
  return new Date(instant);
}

export function registerDraft(program: Command): void {
  withGlobalOptions(program.command('draft'))
    .description(
      "draft outreach for an account: the trigger's template, rendered, linted and checked by the fatigue guard",
    )
    .argument('<account_id>', 'the account to write to')
    .option('--trigger <id>', "the trigger to write about (default: the account's top open risk item)")
    .option('--template <id>', 'a template id (see "foresight templates")')
    .option('--channel <channel>', `${OUTREACH_CHANNELS.join('|')} (default: email, or the template's channel)`)
    .option('--as-of <date>', 'evaluate at this day (10:00 in the account’s time zone) or ISO 8601 time')
    .action((accountId: string, options: DraftOptions, command: Command) => {
      const { dbPath, json } = globals(command);
      if (options.channel !== undefined && !isOutreachChannel(options.channel)) {
        throw new UsageError(`--channel must be one of ${OUTREACH_CHANNELS.join(', ')}, not "${options.channel}".`);
      }
      const { db } = openDatabase(dbPath);
      try {
        const now = resolveAsOf(db, accountId, options.asOf);
        let draft;
        try {
          draft = buildDraft(
            db,
            {
              accountId,
              triggerId: options.trigger ?? null,
              templateId: options.template ?? null,
              channel: (options.channel as OutreachChannel | undefined) ?? null,
            },
            now,
          );
        } catch (error) {
          if (hasErrorCode(error, 'NO_TRIGGER')) {
            throw new UserFacingError(
              'NO_TRIGGER',
              `${error.message.replace(/; choose a trigger for the draft\.$/, '')}; pass --trigger ID (see "foresight templates" for the triggers).`,
            );
          }
          throw error;
        }
        const deferred =
          draft.guard.status === 'deferred'
            ? {
                reason: draft.guard.reason,
                schedule_at: draft.guard.scheduleAt,
                schedule_local: draft.guard.scheduleLabel,
              }
            : null;
        const result = {
          account_id: draft.accountId,
          trigger: draft.trigger?.id ?? null,
          template_id: draft.template?.id ?? null,
          template_version: draft.template?.version ?? null,
          channel: draft.channel,
          // The address the channel uses: a phone number for SMS, an email address otherwise.
          to: (draft.channel === 'sms' ? draft.to?.phone : draft.to?.email) ?? null,
          to_name: draft.to?.name ?? null,
          subject: draft.subject,
          body: draft.body,
          warnings: draft.warnings.map((warning) => ({
            rule: warning.rule,
            field: warning.field,
            message: warning.message,
          })),
          blocked: draft.blocked,
          deferred,
        };
        emit(json, result, () => {
          if (draft.blocked) return `Not drafted for ${draft.accountName}: ${draft.blocked}`;
          const lines = [
            `To:       ${draft.to ? `${draft.to.name ?? ''} <${(draft.channel === 'sms' ? draft.to.phone : draft.to.email) ?? 'no address on record'}>`.trim() : 'no contact on record'}`,
            `Template: ${draft.template?.name ?? '—'} (${draft.template?.id ?? '—'}, version ${draft.template?.version ?? '—'})`,
            ...(draft.subject !== null ? [`Subject:  ${draft.subject}`] : []),
            '',
            draft.body ?? '',
            '',
            draft.warnings.length === 0
              ? 'Lint: passes the benefit-first check.'
              : `Lint: ${draft.warnings.length} warning${draft.warnings.length === 1 ? '' : 's'}:\n${draft.warnings.map((w) => `  - ${w.message}`).join('\n')}`,
          ];
          if (deferred) lines.push(`Timing: ${deferred.reason}`);
          return lines.join('\n');
        });
        if (draft.blocked) process.exitCode = EXIT.partial;
      } finally {
        closeDatabase(db);
      }
    });
}
