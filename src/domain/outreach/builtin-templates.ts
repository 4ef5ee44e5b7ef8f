/**
 * The built-in template library: one template per trigger and channel, written benefit-first.
 * Every one follows the same shape: (1) what the customer gains or what is already taken care of,
 * (2) the evidence in their words ({{evidence.summary}}), (3) exactly one next step, (4) the CSM's
 * name and how to reach a person. A test renders each for every demo account it applies to and
 * requires the lint to pass.
 *
 * Built-ins are read-only; a user edits a copy, which is stored in the database with its history.
 * Bump BUILTIN_VERSION when any wording here changes, so logged interventions still say which
 * text was sent.
 */
import { TRIGGER_IDS, type TriggerId } from '../risk/catalog.ts';
import type { OutreachChannel } from './channels.ts';

export const BUILTIN_VERSION = 2;

export interface TemplateText {
  name: string;
  subject: string | null;
  body: string;
}

type ChannelTexts = Record<OutreachChannel, TemplateText>;

const SIGNATURE = `Best,
{{csm.name}}
{{#csm.email}}{{csm.email}}{{/csm.email}}{{#csm.phone}} · {{csm.phone}}{{/csm.phone}}`;

const CALL_CLOSE = `Before we hang up: I'm your contact for anything else, so call me directly{{#csm.phone}} on {{csm.phone}}{{/csm.phone}} or reply to any of my emails.`;

function email(name: string, subject: string, benefit: string, step: string, handoff: string): TemplateText {
  return {
    name,
    subject,
    body: `Hi {{contact.first_name}},

${benefit} {{evidence.summary}}

${step}

${handoff}

${SIGNATURE}`,
  };
}

function call(name: string, benefit: string, step: string): TemplateText {
  return {
    name,
    subject: null,
    body: `Hi {{contact.first_name}}, it's {{csm.first_name}}, your account manager.

${benefit}

What I'm seeing: {{evidence.summary}}

${step}

${CALL_CLOSE}`,
  };
}

const text = (name: string, body: string): TemplateText => ({ name, subject: null, body });

const LIBRARY: Record<TriggerId, ChannelTexts> = {
  setup_incomplete: {
    email: email(
      'Finish setup',
      'Finish setting up {{account.name}} in about ten minutes',
      "Your team is about ten minutes away from the full benefit of your workspace, and I've lined up the remaining steps so they are quick.",
      'Pick up where you left off with the setup checklist:\n{{links.setup}}',
      "If you'd rather do it together, just reply and I'll walk you through it on a short call.",
    ),
    in_app: text(
      'Finish setup',
      "{{contact.first_name}}, your team is ten minutes from the full benefit of your workspace: setup isn't finished yet. Finish it here: {{links.setup}} Questions? Reply to reach {{csm.first_name}}.",
    ),
    sms: text(
      'Finish setup',
      'Hi {{contact.first_name}}, 10 more minutes of setup gets your team the full workspace (a few steps are left): {{links.setup}} Reply to reach {{csm.first_name}}.',
    ),
    call: call(
      'Finish setup',
      'I can save your team some time today: the last few setup steps take about ten minutes, and I can do them with you.',
      'Can we finish them together now, or would a 15-minute slot tomorrow suit you better?',
    ),
  },
  onboarding_stalled: {
    email: email(
      'First result after onboarding',
      "Your team's first result with {{account.name}}'s workspace, in 20 minutes",
      "Your team can get its first real result from the workspace this week, and I've put together a short walkthrough of the main workflow to make it quick.",
      "Book 20 minutes with me and we'll set up your first project together:\n{{csm.booking_link}}",
      "If something is in the way, just reply and tell me; I'm happy to help.",
    ),
    in_app: text(
      'First result after onboarding',
      '{{contact.first_name}}, your first project takes about 20 minutes: onboarding is done, and the main workflow is next. Start it here: {{links.app}} Questions? Reply to reach {{csm.first_name}}.',
    ),
    sms: text(
      'First result after onboarding',
      "Hi {{contact.first_name}}, onboarding's done, so your first result is 20 min away. Book time with me: {{csm.booking_link}} {{csm.first_name}}",
    ),
    call: call(
      'First result after onboarding',
      'I can help your team get its first real result from the workspace this week; it usually takes about 20 minutes.',
      'Shall we set up your first project together right now, while we are on the phone?',
    ),
  },
  payment_failing: {
    email: email(
      'Card update (payment failing)',
      'Keep {{account.name}} running: a one-minute card update',
      "Your team's workspace is still running as usual, and a one-minute card update keeps it that way.",
      'You can update the card here, and nothing else needs to change:\n{{links.billing}}',
      "If anything looks off, just reply and I'll sort it out with you personally.",
    ),
    in_app: text(
      'Card update (payment failing)',
      "{{contact.first_name}}, keep your workspace running without a break: the last card payments didn't go through. Update it in a minute: {{links.billing}} Questions? Reply to reach {{csm.first_name}}.",
    ),
    sms: text(
      'Card update (payment failing)',
      "Hi {{contact.first_name}}, keep your account running: the last card payments didn't go through. Update the card: {{links.billing}} Reply to reach {{csm.first_name}}.",
    ),
    call: call(
      'Card update (payment failing)',
      "I'm calling to keep your workspace running without a break: it's still on, and a quick card update keeps it that way.",
      'Could you update the card while we are on the phone? I can stay on the line and check it goes through.',
    ),
  },
  power_user_dormant: {
    email: email(
      'Teammate gone quiet',
      'Helping your team keep the time it was saving',
      'Your team can keep the time savings it had a few weeks ago, and a short check-in is usually all it takes.',
      "Pick a 15-minute slot this week and we'll look at it together:\n{{csm.booking_link}}",
      "If their work has changed, just reply and I'll suggest a setup that fits better.",
    ),
    in_app: text(
      'Teammate gone quiet',
      "{{contact.first_name}}, your team can keep the time it was saving: {{#evidence.person}}{{evidence.person}}{{/evidence.person}}{{^evidence.person}}a regular{{/evidence.person}} hasn't signed in lately. Book 15 min: {{csm.booking_link}} Or reply to reach {{csm.first_name}}.",
    ),
    sms: text(
      'Teammate gone quiet',
      "Hi {{contact.first_name}}, your team can keep the time it saved: one regular hasn't signed in lately. Book with me: {{csm.booking_link}} {{csm.first_name}}",
    ),
    call: call(
      'Teammate gone quiet',
      'I want to help your team keep the time it was saving with the workspace.',
      'Would it help if I set up a 15-minute refresher for them this week?',
    ),
  },
  usage_drop: {
    email: email(
      'Usage down',
      'More from your workspace, in 20 minutes',
      'Your team can get back to the results it had a month ago, and I have a few ideas that worked well for similar teams.',
      "Book 20 minutes with me and I'll bring a short plan for your team:\n{{csm.booking_link}}",
      "If now isn't a good time, just reply and tell me what has changed.",
    ),
    in_app: text(
      'Usage down',
      '{{contact.first_name}}, a few small changes could get your team back to full speed: fewer people signed in lately. Book 20 min: {{csm.booking_link}} Or reply to reach {{csm.first_name}}.',
    ),
    sms: text(
      'Usage down',
      'Hi {{contact.first_name}}, your team can get back to full speed: fewer people signed in lately. Book 20 min with me: {{csm.booking_link}} {{csm.first_name}}',
    ),
    call: call(
      'Usage down',
      'I have a few ideas that could get your team back to the results it had a month ago.',
      'Could we book 20 minutes this week so I can walk you through them?',
    ),
  },
  seat_drop: {
    email: email(
      'Seats in use fell',
      'Put every seat {{account.name}} pays for back to work',
      'You can put every seat you pay for back to work, and moving a seat to someone new takes a minute.',
      'Reassign unused seats to teammates who need them in Team settings:\n{{links.team}}',
      "If your team is changing, just reply and I'll help you find the right setup.",
    ),
    in_app: text(
      'Seats in use fell',
      '{{contact.first_name}}, every seat you pay for can be working for your team: fewer are in use than last month. Reassign them here: {{links.team}} Questions? Reply to reach {{csm.first_name}}.',
    ),
    sms: text(
      'Seats in use fell',
      'Hi {{contact.first_name}}, every paid seat can work for your team: fewer are in use than last month. Reassign: {{links.team}} Reply to reach {{csm.first_name}}.',
    ),
    call: call(
      'Seats in use fell',
      'I can help you get full value from every seat you pay for, even while your team changes.',
      'Shall we go through who could use the free seats now? It takes about ten minutes.',
    ),
  },
  seat_underuse: {
    email: email(
      'Seats under-used',
      'Seats {{account.name}} already pays for, ready to use',
      'Every seat {{account.name}} already pays for can be working for your team, at no extra cost.',
      'Invite the teammates who would benefit from Team settings; it takes a minute per person:\n{{links.team}}',
      "If you'd like a hand choosing who to invite, just reply and I'll help.",
    ),
    in_app: text(
      'Seats under-used',
      '{{contact.first_name}}, you have paid seats ready for teammates, at no extra cost. Invite them here: {{links.team}} Questions? Reply to reach {{csm.first_name}}.',
    ),
    sms: text(
      'Seats under-used',
      'Hi {{contact.first_name}}, you have paid seats ready for teammates at no extra cost. Invite them: {{links.team}} Reply to reach {{csm.first_name}}.',
    ),
    call: call(
      'Seats under-used',
      'Your team has seats it already pays for that could be put to work, at no extra cost.',
      'Could we pick the teammates who would benefit most, right now? I can send the invites for you.',
    ),
  },
  approaching_limit: {
    email: email(
      'Approaching plan limit',
      'Room to grow for {{account.name}}',
      "Your team is getting a lot out of the workspace, and there's an easy way to keep that going without hitting a limit.",
      'Compare the options for {{plan.name}} and above on the plans page:\n{{links.plans}}',
      "If you'd like my recommendation, just reply and I'll send a short comparison.",
    ),
    in_app: text(
      'Approaching plan limit',
      "{{contact.first_name}}, keep your team's momentum: you're close to your plan's limit. Compare options: {{links.plans}} Questions? Reply to reach {{csm.first_name}}.",
    ),
    sms: text(
      'Approaching plan limit',
      "Hi {{contact.first_name}}, keep your team's momentum: you're close to your plan's limit. Compare options: {{links.plans}} Reply to reach {{csm.first_name}}.",
    ),
    call: call(
      'Approaching plan limit',
      'Your team is getting a lot out of the workspace, and I want to make sure it never runs into a limit.',
      'Shall I walk you through the two options that fit best? It takes five minutes.',
    ),
  },
  renewal_at_risk: {
    email: email(
      'Renewal coming up',
      'Making your next year with us count',
      // The evidence sentence after it says when the renewal is and that the next year should deliver more.
      "Your team's plan for the next year deserves time, and I'd like to agree it with you well before your renewal.",
      'Pick 30 minutes in the next two weeks to agree on what success looks like for your team:\n{{csm.booking_link}}',
      'If something is already on your mind, just reply; I read every message myself.',
    ),
    in_app: text(
      'Renewal coming up',
      '{{contact.first_name}}, your next year with us can deliver more: renewal is on {{renewal.date}}. Book 30 min to plan it: {{csm.booking_link}} Or reply to reach {{csm.first_name}}.',
    ),
    sms: text(
      'Renewal coming up',
      'Hi {{contact.first_name}}, your next year with us can deliver more: renewal is on {{renewal.date}}. Book with me: {{csm.booking_link}} {{csm.first_name}}',
    ),
    call: call(
      'Renewal coming up',
      "I'd like to agree your team's plan for the next year with you, well before the renewal.",
      'Could we book 30 minutes in the next two weeks to agree on what success looks like for your team?',
    ),
  },
  champion_left: {
    email: email(
      'Champion left',
      "Keeping {{account.name}}'s setup in good hands",
      'Your team can keep everything running smoothly through the handover, and I can brief whoever takes over in 20 minutes.',
      'Book a 20-minute handover with me for the new owner:\n{{csm.booking_link}}',
      'If you are not the right person either, just reply with a name and I will take it from there.',
    ),
    in_app: text(
      'Champion left',
      '{{contact.first_name}}, I can brief whoever takes over your workspace in 20 minutes: your main contact has moved on. Book it: {{csm.booking_link}} Or reply to reach {{csm.first_name}}.',
    ),
    sms: text(
      'Champion left',
      'Hi {{contact.first_name}}, I can brief your new main contact in 20 min, as the last one moved on. Book with me: {{csm.booking_link}} {{csm.first_name}}',
    ),
    call: call(
      'Champion left',
      'I want to make sure your team keeps everything running smoothly through the handover.',
      'Who would be the best person to take this over? Could we book 20 minutes with them this week?',
    ),
  },
  support_surge: {
    email: email(
      'Support surge',
      'Fewer interruptions for your team',
      "Your team can spend less time on support requests, and I've reviewed your recent ones to find what would fix them for good.",
      'Book 20 minutes with me to go through the fixes:\n{{csm.booking_link}}',
      "If anything is urgent, just reply and I'll take it to our engineers straight away.",
    ),
    in_app: text(
      'Support surge',
      '{{contact.first_name}}, I can help your team spend less time on support requests: I have fixes for the recent ones. Book 20 min: {{csm.booking_link}} Or reply to {{csm.first_name}}.',
    ),
    sms: text(
      'Support surge',
      'Hi {{contact.first_name}}, I have fixes that could spare your team its recent support requests. Book 20 min with me: {{csm.booking_link}} {{csm.first_name}}',
    ),
    call: call(
      'Support surge',
      "I've looked at your team's recent support requests, and I think we can save you most of them.",
      'Could we book 20 minutes this week to go through the fixes together?',
    ),
  },
  detractor: {
    email: email(
      'Detractor follow-up',
      'Thank you for your honest feedback',
      "Whatever isn't working for {{account.name}} is now on my desk, and I'd like to fix it with you.",
      'Pick 20 minutes this week to tell me what would make the biggest difference:\n{{csm.booking_link}}',
      "If you'd rather write it down, just reply; I read every answer myself.",
    ),
    in_app: text(
      'Detractor follow-up',
      "{{contact.first_name}}, thank you for your feedback: what isn't working is now on my desk. Book 20 min to fix it together: {{csm.booking_link}} Or reply to {{csm.first_name}}.",
    ),
    sms: text(
      'Detractor follow-up',
      "Hi {{contact.first_name}}, thanks for your feedback: what isn't working is now on my desk. Book 20 min with me: {{csm.booking_link}} {{csm.first_name}}",
    ),
    call: call(
      'Detractor follow-up',
      "Thank you for your honest feedback; what isn't working for you is now on my desk, and I'd like to fix it.",
      'Could you tell me the one thing that would make the biggest difference for your team?',
    ),
  },
  silent_churn: {
    email: email(
      'Quiet account check-in',
      'A few ideas to get more from your workspace',
      "Your team can get more from the workspace with a few small changes, and I've picked the ones that helped similar teams most.",
      "Book 20 minutes with me and I'll walk you through them:\n{{csm.booking_link}}",
      "If now isn't a good time, just reply and tell me when suits you better.",
    ),
    in_app: text(
      'Quiet account check-in',
      '{{contact.first_name}}, a few small changes could help your team get more from the workspace. Book 20 min and I will show you: {{csm.booking_link}} Or reply to {{csm.first_name}}.',
    ),
    sms: text(
      'Quiet account check-in',
      "Hi {{contact.first_name}}, your team could get more done with small changes; we haven't spoken in a while. Book with me: {{csm.booking_link}} {{csm.first_name}}",
    ),
    call: call(
      'Quiet account check-in',
      'I have a few small changes that have helped teams like yours get more from the workspace.',
      'Could we book 20 minutes this week so I can show you the two that matter most?',
    ),
  },
  performance_degradation: {
    email: email(
      'Slower pages',
      'Faster pages are on the way for {{account.name}}',
      'Faster pages are on the way for your team: our engineers are already working on what slowed things down.',
      'You can follow the progress live on the status page:\n{{links.status}}',
      "If something is still slow for you, just reply and I'll pass the details straight to the engineers.",
    ),
    in_app: text(
      'Slower pages',
      '{{contact.first_name}}, faster pages are on the way: our engineers are fixing what slowed things down. Follow progress: {{links.status}} Still slow? Reply to reach {{csm.first_name}}.',
    ),
    sms: text(
      'Slower pages',
      'Hi {{contact.first_name}}, faster pages are on the way: our engineers are fixing the recent slowness. Follow progress: {{links.status}} Reply to reach {{csm.first_name}}.',
    ),
    call: call(
      'Slower pages',
      'Faster pages are on the way: our engineers are already fixing what slowed things down for your team.',
      'Could you tell me which pages feel slowest for your team, so I can make sure they are covered?',
    ),
  },
  integration_failing: {
    email: email(
      'Sync keeps failing',
      'A one-click fix for your {{account.name}} sync',
      'Your data can be flowing again in one click: reconnecting the sync fixes this in almost every case, and nothing you have entered is lost.',
      'Reconnect the sync from your setup page:\n{{links.setup}}',
      "If it still fails after that, just reply and I'll get our engineers on it for you.",
    ),
    in_app: text(
      'Sync keeps failing',
      "{{contact.first_name}}, get your data flowing again in one click: your sync hasn't been going through. Reconnect it here: {{links.setup}} Still failing? Reply to reach {{csm.first_name}}.",
    ),
    sms: text(
      'Sync keeps failing',
      'Hi {{contact.first_name}}, one click gets your data flowing again: reconnect your sync at {{links.setup}} Reply to reach {{csm.first_name}}.',
    ),
    call: call(
      'Sync keeps failing',
      'Your data can be flowing again in a minute: reconnecting the sync fixes this in almost every case.',
      'Could you open your setup page while we talk, so we can reconnect it together?',
    ),
  },
  milestone_reached: {
    email: email(
      'Milestone reached',
      '{{account.name}} just reached a new high',
      'Your team is getting more out of the workspace than ever, and I wanted you to have the numbers to show for it.',
      'Share the progress with your team from your workspace:\n{{links.app}}',
      "If you'd like a short summary for your leadership, just reply and I'll put one together.",
    ),
    in_app: text(
      'Milestone reached',
      '{{contact.first_name}}, your team just reached a new high in the workspace. See the progress: {{links.app}} Want a summary for your leadership? Reply to reach {{csm.first_name}}.',
    ),
    sms: text(
      'Milestone reached',
      'Hi {{contact.first_name}}, your team just hit a new high in the workspace. See it here: {{links.app}} Reply to reach {{csm.first_name}}.',
    ),
    call: call(
      'Milestone reached',
      'Your team is getting more out of the workspace than ever, and I wanted to celebrate that with you.',
      'Shall I send you a one-page summary of the progress to share with your leadership?',
    ),
  },
};

export interface BuiltinTemplate extends TemplateText {
  id: string;
  triggerId: TriggerId;
  channel: OutreachChannel;
  version: number;
}

export function builtinTemplateId(triggerId: TriggerId, channel: OutreachChannel): string {
  return `builtin.${triggerId}.${channel}`;
}

export const BUILTIN_TEMPLATES: readonly BuiltinTemplate[] = TRIGGER_IDS.flatMap((triggerId) =>
  (Object.entries(LIBRARY[triggerId]) as [OutreachChannel, TemplateText][]).map(([channel, template]) => ({
    ...template,
    id: builtinTemplateId(triggerId, channel),
    triggerId,
    channel,
    version: BUILTIN_VERSION,
  })),
);

const byId = new Map(BUILTIN_TEMPLATES.map((template) => [template.id, template]));

export function builtinTemplate(id: string): BuiltinTemplate | undefined {
  return byId.get(id);
}

export function isBuiltinId(id: string): boolean {
  return id.startsWith('builtin.');
}
