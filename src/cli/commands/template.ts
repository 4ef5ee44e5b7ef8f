import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { todayIso } from '../../domain/contract/dates.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { UserFacingError } from '../../domain/errors.ts';
import { isOutreachChannel, OUTREACH_CHANNELS } from '../../domain/outreach/channels.ts';
import { previewViewFor } from '../../domain/outreach/draft.ts';
import { parseTemplateFile, type TemplateFile } from '../../domain/outreach/template-file.ts';
import { checkTemplateDraft, saveTemplate } from '../../domain/outreach/templates.ts';
import { sampleView, SAMPLE_ACCOUNT, senderFor } from '../../domain/outreach/view.ts';
import { DEFAULT_OUTREACH_SETTINGS, loadOutreachSettings } from '../../domain/outreach/settings.ts';
import { isTriggerId } from '../../domain/risk/catalog.ts';
import { EXIT } from '../exit-codes.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';

function readTemplateFile(file: string, channel: string | undefined): TemplateFile {
  if (channel !== undefined && !isOutreachChannel(channel))
    throw new UsageError(`--channel must be one of ${OUTREACH_CHANNELS.join(', ')}, not "${channel}".`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserFacingError(
      'FILE_UNREADABLE',
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message}.`,
    );
  }
  return parseTemplateFile(text, basename(file), {
    channel: channel && isOutreachChannel(channel) ? channel : undefined,
  });
}

export function registerTemplate(program: Command): void {
  const template = program
    .command('template')
    .description('check or add one outreach template file (see docs/outreach.md for the format)');

  withGlobalOptions(template.command('lint'))
    .description('check a template file: unknown tokens and the benefit-first lint; exit 0 when clean, 3 with findings')
    .argument('<file>', 'a .json template, or text with a front-matter block')
    .option('--account <id>', 'render against this account from the database instead of the sample account')
    .option('--channel <channel>', 'the channel when the file does not say')
    .action((file: string, options: { account?: string; channel?: string }, command: Command) => {
      const { dbPath, json } = globals(command);
      const parsed = readTemplateFile(file, options.channel);
      let view = sampleView(parsed.triggerId, todayIso(new Date()));
      let senderName: string | null = senderFor(SAMPLE_ACCOUNT.owner_email, {}, DEFAULT_OUTREACH_SETTINGS.links).name;
      let accountName = SAMPLE_ACCOUNT.name;
      if (options.account) {
        const { db } = openDatabase(dbPath);
        try {
          const real = previewViewFor(
            db,
            options.account,
            parsed.triggerId && isTriggerId(parsed.triggerId) ? parsed.triggerId : null,
            new Date(),
          );
          ({ view, senderName, accountName } = real);
        } finally {
          closeDatabase(db);
        }
      }
      const check = checkTemplateDraft(parsed, view, senderName);
      const findings = check.problems.length + check.warnings.length;
      emit(
        json,
        {
          file,
          name: parsed.name,
          trigger: parsed.triggerId,
          channel: parsed.channel,
          account: accountName,
          clean: findings === 0,
          problems: check.problems,
          warnings: check.warnings.map((w) => ({ rule: w.rule, field: w.field, message: w.message })),
          preview: check.preview,
        },
        () => {
          if (findings === 0)
            return `${file}: passes (no unknown tokens, no lint warnings; rendered for ${accountName}).`;
          return [
            `${file}: ${findings} finding${findings === 1 ? '' : 's'} (rendered for ${accountName}):`,
            ...check.problems.map((p) => `  error    ${p.message}`),
            ...check.warnings.map((w) => `  warning  ${w.message}`),
          ].join('\n');
        },
      );
      if (findings > 0) process.exitCode = EXIT.partial;
    });

  withGlobalOptions(template.command('add'))
    .description(
      'save a template file to the database as a new template (refused with unknown tokens, or with lint warnings unless --accept-warnings)',
    )
    .argument('<file>', 'a .json template, or text with a front-matter block')
    .option('--accept-warnings', 'save even though the benefit-first lint has warnings')
    .option('--channel <channel>', 'the channel when the file does not say')
    .action((file: string, options: { acceptWarnings?: boolean; channel?: string }, command: Command) => {
      const { dbPath, json } = globals(command);
      const parsed = readTemplateFile(file, options.channel);
      const { db } = openDatabase(dbPath);
      try {
        const settings = loadOutreachSettings(db);
        const now = new Date();
        const { template: saved, warnings } = saveTemplate(
          db,
          { ...parsed, acknowledgeWarnings: options.acceptWarnings === true },
          sampleView(parsed.triggerId, todayIso(now)),
          senderFor(SAMPLE_ACCOUNT.owner_email, settings.senders, settings.links).name,
          now,
        );
        emit(
          json,
          {
            id: saved.id,
            name: saved.name,
            version: saved.version,
            trigger: saved.triggerId,
            channel: saved.channel,
            warnings,
          },
          () =>
            `Saved "${saved.name}" as ${saved.id} (version ${saved.version})${warnings.length ? ` with ${warnings.length} acknowledged warning${warnings.length === 1 ? '' : 's'}` : ''}.`,
        );
      } finally {
        closeDatabase(db);
      }
    });
}
