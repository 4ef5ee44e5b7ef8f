import { todayIso } from '../../domain/contract/dates.ts';
import { DEFAULT_TRIGGERS, isTriggerId, TRIGGER_IDS } from '../../domain/risk/catalog.ts';
import { hasSubject } from '../../domain/outreach/channels.ts';
import { buildDraft, previewViewFor } from '../../domain/outreach/draft.ts';
import { lintMessage } from '../../domain/outreach/lint.ts';
import { LENGTH_LIMITS } from '../../domain/outreach/lint-rules.ts';
import { buildMailto, MAILTO_MAX_LENGTH } from '../../domain/outreach/mailto.ts';
import { draftEml, markSent, scheduleTouch } from '../../domain/outreach/send.ts';
import { rescoreTouchedAccount } from '../services/touch-rescore.ts';
import { loadOutreachSettings, saveOutreachSettings, senderSchema } from '../../domain/outreach/settings.ts';
import {
  archiveTemplate,
  checkTemplateDraft,
  getTemplate,
  listTemplates,
  saveTemplate,
  templateVersions,
  type TemplateRecord,
} from '../../domain/outreach/templates.ts';
import { TOKENS } from '../../domain/outreach/tokens.ts';
import { sampleView, SAMPLE_ACCOUNT, senderFor } from '../../domain/outreach/view.ts';
import { accountsRepo } from '../../domain/db/repos/accounts.ts';
import { UserFacingError } from '../../domain/errors.ts';
import type { TemplateDetail, TemplateSummary } from '../../shared/dto/outreach.ts';
import type { ChangeKind } from '../../shared/events.ts';
import type { AppContext } from '../context.ts';
import type { HandlerMap } from '../dispatcher.ts';

function summary(template: TemplateRecord): TemplateSummary {
  return { ...template };
}

function detail(ctx: AppContext, template: TemplateRecord): TemplateDetail {
  return { ...summary(template), versions: templateVersions(ctx.db, template.id) };
}

/** The values a template preview renders with: a chosen account, or the sample one. */
function previewContext(ctx: AppContext, accountId: string | null | undefined, triggerId: string | null) {
  const trigger = triggerId && isTriggerId(triggerId) ? triggerId : null;
  if (accountId) return previewViewFor(ctx.db, accountId, trigger, ctx.now());
  const settings = loadOutreachSettings(ctx.db);
  const sender = senderFor(SAMPLE_ACCOUNT.owner_email, settings.senders, settings.links);
  return { view: sampleView(trigger, todayIso(ctx.now())), accountName: SAMPLE_ACCOUNT.name, senderName: sender.name };
}

const changed = (ctx: AppContext, kinds: ChangeKind[]) => ctx.emit({ type: 'data-changed', kinds });

export const outreachHandlers = {
  'outreach.draft': (input, ctx) =>
    buildDraft(
      ctx.db,
      {
        accountId: input.accountId,
        triggerId: input.triggerId ?? null,
        riskItemId: input.riskItemId ?? null,
        templateId: input.templateId ?? null,
        channel: input.channel ?? null,
        uiLocale: input.locale ?? null,
      },
      ctx.now(),
    ),

  'outreach.lint': (input, ctx) => {
    let senderName: string | null = null;
    if (input.accountId) {
      const account = accountsRepo(ctx.db).get(input.accountId);
      const settings = loadOutreachSettings(ctx.db);
      if (account?.owner_email) senderName = senderFor(account.owner_email, settings.senders, settings.links).name;
    }
    const warnings = lintMessage({
      channel: input.channel,
      subject: input.subject ?? null,
      body: input.body,
      senderName,
    });
    return { warnings, length: [...input.body.trim()].length, limit: LENGTH_LIMITS[input.channel] ?? null };
  },

  'outreach.mailto': (input) => {
    const url = buildMailto({ to: input.to ?? null, subject: input.subject, body: input.body });
    return { url, fits: url.length <= MAILTO_MAX_LENGTH };
  },

  'outreach.eml': async (input, ctx) => {
    const file = draftEml(
      ctx.db,
      {
        accountId: input.accountId,
        to: input.to ? { name: input.to.name ?? null, email: input.to.email } : null,
        subject: input.subject,
        body: input.body,
        label: input.label,
      },
      ctx.now(),
    );
    if (!ctx.native) return { ...file, savedTo: null, saved: false };
    const result = await ctx.native.saveFile({
      defaultName: file.fileName,
      filters: [{ name: 'Email message', extensions: ['eml'] }],
      data: new TextEncoder().encode(file.content),
    });
    return { ...file, savedTo: result.path, saved: result.saved };
  },

  'outreach.markSent': (input, ctx) => {
    const logged = markSent(ctx.db, { ...input }, ctx.now());
    rescoreTouchedAccount(ctx, input.accountId);
    return logged;
  },

  'outreach.schedule': (input, ctx) => {
    const logged = scheduleTouch(ctx.db, { ...input }, ctx.now());
    changed(ctx, ['interventions']);
    return logged;
  },

  'outreach.catalog': () => ({
    tokens: TOKENS.map((token) => ({
      name: token.name,
      description: token.description,
      example: token.example,
      optional: token.optional === true,
    })),
    triggers: TRIGGER_IDS.map((id) => ({
      id,
      label: DEFAULT_TRIGGERS[id].label,
      description: DEFAULT_TRIGGERS[id].description,
    })),
    limits: { sms: LENGTH_LIMITS.sms, in_app: LENGTH_LIMITS.in_app },
  }),

  'outreach.templates.list': (input, ctx) =>
    listTemplates(ctx.db, {
      triggerId: input.triggerId ?? null,
      channel: input.channel ?? null,
      includeArchived: input.includeArchived,
    }).map(summary),

  'outreach.templates.get': (input, ctx) => {
    const template = getTemplate(ctx.db, input.templateId);
    if (!template)
      throw new UserFacingError('TEMPLATE_NOT_FOUND', `There is no template with the id "${input.templateId}".`);
    return detail(ctx, template);
  },

  'outreach.templates.preview': (input, ctx) => {
    const { view, accountName, senderName } = previewContext(ctx, input.accountId, input.triggerId);
    const check = checkTemplateDraft(
      {
        name: input.name,
        triggerId: input.triggerId,
        channel: input.channel,
        subject: input.subject ?? null,
        body: input.body,
      },
      view,
      senderName,
    );
    return {
      subject: check.preview && hasSubject(input.channel) ? check.preview.subject : null,
      body: check.preview?.body ?? null,
      problems: check.problems,
      warnings: check.warnings,
      accountName,
    };
  },

  'outreach.templates.save': (input, ctx) => {
    const { view, senderName } = previewContext(ctx, null, input.triggerId);
    const { template, warnings } = saveTemplate(
      ctx.db,
      {
        templateId: input.templateId ?? null,
        basedOn: input.basedOn ?? null,
        name: input.name,
        triggerId: input.triggerId,
        channel: input.channel,
        subject: input.subject ?? null,
        body: input.body,
        acknowledgeWarnings: input.acknowledgeWarnings,
      },
      view,
      senderName,
      ctx.now(),
    );
    changed(ctx, ['templates']);
    return { template: detail(ctx, template), warnings };
  },

  'outreach.templates.archive': (input, ctx) => {
    archiveTemplate(ctx.db, input.templateId, ctx.now());
    changed(ctx, ['templates']);
    return { archived: true as const };
  },

  'outreach.settings.get': (_input, ctx) => loadOutreachSettings(ctx.db),

  'outreach.settings.save': (input, ctx) => {
    const senders = input.senders
      ? Object.fromEntries(
          Object.entries(input.senders).map(([email, sender]) => [email.toLowerCase(), senderSchema.parse(sender)]),
        )
      : undefined;
    const saved = saveOutreachSettings(ctx.db, { ...input, senders }, ctx.now());
    changed(ctx, ['outreach-settings']);
    return saved;
  },
} satisfies Partial<HandlerMap>;
