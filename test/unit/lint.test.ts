import { describe, expect, it } from 'vitest';
import { lintMessage, type LintRule } from '../../src/domain/outreach/lint.ts';
import type { OutreachChannel } from '../../src/domain/outreach/channels.ts';

const rules = (
  body: string,
  channel: OutreachChannel = 'email',
  subject: string | null = 'Keep your workspace running',
  senderName: string | null = 'Maya Chen',
) => lintMessage({ channel, subject, body, senderName }).map((w) => w.rule);

const SIGN = '\n\nIf anything looks off, just reply and I will sort it out.\n\nBest,\nMaya Chen';

/** Drafts a benefit-first lint must flag, each with the rule it must raise. */
const BAD: { name: string; rule: LintRule; body: string; channel?: OutreachChannel; subject?: string }[] = [
  {
    name: 'company-first: Our systems',
    rule: 'company_first',
    body: `Hi Ana,\n\nOur systems experienced a malfunction that may have affected your account. Update your card here: https://app.example.com/billing${SIGN}`,
  },
  {
    name: 'company-first: We noticed',
    rule: 'company_first',
    body: `Hi Ana,\n\nWe noticed that your last payment failed. Update your card here: https://app.example.com/billing${SIGN}`,
  },
  {
    name: 'company-first: We are writing',
    rule: 'company_first',
    body: `Dear Ana,\n\nWe're writing to let you know about a billing problem. Update your card: https://app.example.com/billing${SIGN}`,
  },
  {
    name: 'company-first: Our team',
    rule: 'company_first',
    body: `Our team has been looking at your account. Book a call with me: https://cal.example.com/maya${SIGN}`,
  },
  {
    name: 'company-first: At X, we',
    rule: 'company_first',
    body: `At Foresight, we value every customer. Book a call with me: https://cal.example.com/maya${SIGN}`,
  },
  {
    name: 'self-first filler: I wanted to',
    rule: 'company_first',
    body: `Hi Ana, I wanted to reach out about your seats. Invite your team: https://app.example.com/team${SIGN}`,
  },
  {
    name: 'filler: Just checking in',
    rule: 'company_first',
    body: `Hi Ana,\n\nJust checking in to see how things are going. Book 20 minutes with me: https://cal.example.com/maya${SIGN}`,
  },
  {
    name: 'apology-first: Unfortunately',
    rule: 'apology_first',
    body: `Hi Ana,\n\nUnfortunately, your last payment was declined. Update your card here: https://app.example.com/billing${SIGN}`,
  },
  {
    name: 'apology-first: Sorry',
    rule: 'apology_first',
    body: `Hi Ana, sorry for the trouble with the slow pages. Follow progress here: https://status.example.com${SIGN}`,
  },
  {
    name: 'apology-first: We apologise',
    rule: 'apology_first',
    body: `We apologize for the inconvenience caused by the outage. Follow progress: https://status.example.com${SIGN}`,
  },
  {
    name: 'apology-first: Due to',
    rule: 'apology_first',
    body: `Due to a technical issue, some pages were slow. Follow progress: https://status.example.com${SIGN}`,
  },
  {
    name: 'company-first subject line',
    rule: 'company_first',
    subject: 'Our systems had an outage',
    body: `Hi Ana,\n\nFaster pages are back for your team. Follow progress: https://status.example.com${SIGN}`,
  },
  {
    name: 'no next step: dead end',
    rule: 'no_next_step',
    body: `Hi Ana,\n\nGood news: your workspace is running smoothly, and your team signed in more this month.${SIGN}`,
  },
  {
    name: 'no next step: only a reply offer',
    rule: 'no_next_step',
    body: `Hi Ana,\n\nYour card payment did not go through last week.\n\nLet me know if you have any questions.\n\nThanks,\nMaya Chen`,
  },
  {
    name: 'no next step: vague question',
    rule: 'no_next_step',
    body: `Hi Ana,\n\nYour team can get more from the workspace. Any questions?${SIGN}`,
  },
  {
    name: 'multiple calls to action',
    rule: 'multiple_ctas',
    body: `Hi Ana,\n\nYour team can save hours every week. Update your card: https://app.example.com/billing. Book a call: https://cal.example.com/maya. Invite your team: https://app.example.com/team${SIGN}`,
  },
  {
    name: 'multiple calls to action chained in one sentence (issue 17)',
    rule: 'multiple_ctas',
    body: `Hi Ana,\n\nYour workspace stays on. Please update your card and also book a QBR and also fill in our survey.${SIGN}`,
  },
  {
    name: 'multiple calls to action chained with "and then" and "plus"',
    rule: 'multiple_ctas',
    body: `Hi Ana,\n\nYour team can save hours. Invite your team and then review the new reports, plus share your feedback.${SIGN}`,
  },
  {
    name: 'no human hand-off',
    rule: 'no_human_handoff',
    body: 'Hi Ana,\n\nKeep your workspace running without a break: update the card here: https://app.example.com/billing',
  },
  {
    name: 'no human name when the sender is known',
    rule: 'no_human_handoff',
    body: 'Keep your workspace running: update the card here: https://app.example.com/billing. Questions? Just reply.',
  },
  {
    name: 'jargon: metric name',
    rule: 'jargon',
    body: `Hi Ana,\n\nYour team can get more done: your seats_used fell to 12. Invite teammates: https://app.example.com/team${SIGN}`,
  },
  {
    name: 'jargon: churn and health score',
    rule: 'jargon',
    body: `Hi Ana,\n\nYour team can get back on track: your health score is red and you are a churn risk. Book a call with me: https://cal.example.com/maya${SIGN}`,
  },
  {
    name: 'jargon: NPS detractor',
    rule: 'jargon',
    body: `Hi Ana,\n\nThank you for your NPS answer, which makes you a detractor. Book a call with me: https://cal.example.com/maya${SIGN}`,
  },
  {
    name: 'jargon: latency',
    rule: 'jargon',
    body: `Hi Ana,\n\nFaster pages are coming: p95 latency went up 40%. Follow progress: https://status.example.com${SIGN}`,
  },
  {
    name: 'jargon: ARR',
    rule: 'jargon',
    body: `Hi Ana,\n\nYour ARR can work harder for you. Book a call with me: https://cal.example.com/maya${SIGN}`,
  },
  {
    name: 'SMS over 160 characters',
    rule: 'too_long',
    channel: 'sms',
    body: `Hi Ana, keep your workspace running without a single break: the last three card payments did not go through, most recently on March 3. Update the card in a minute: https://app.example.com/billing Reply to reach Maya.`,
  },
  {
    name: 'in-app over 200 characters',
    rule: 'too_long',
    channel: 'in_app',
    body: `Ana, keep your workspace running without a single break: the last three card payments did not go through, most recently on March 3, 2026, and the one before on February 24. Update it: https://app.example.com/billing Reply to reach Maya.`,
  },
  {
    name: 'unresolved token',
    rule: 'unresolved_token',
    body: `Hi {{contact.nickname}},\n\nKeep your workspace running: update the card: https://app.example.com/billing${SIGN}`,
  },
];

/** Good drafts: benefit first, evidence, one next step, a named human. Zero warnings. */
const GOOD: { name: string; body: string; channel?: OutreachChannel; subject?: string }[] = [
  {
    name: 'the issue’s example opening',
    subject: 'An issue that could have affected Acme is resolved',
    body: `Hi Ana,\n\nWe've resolved an issue that could have affected your account, so your exports run on time again. Some exports were delayed on Monday.\n\nYou can check the latest run here:\nhttps://app.example.com/exports\n\nIf anything still looks off, just reply and I'll look into it myself.\n\nBest,\nMaya Chen`,
  },
  {
    name: 'card update',
    body: `Hi Ana,\n\nYour workspace is still running as usual, and a one-minute card update keeps it that way. The last 3 attempts to charge the card on file didn't go through.\n\nUpdate the card here:\nhttps://app.example.com/billing\n\nIf anything looks off, just reply and I'll sort it out.\n\nThanks,\nMaya Chen\nmaya.chen@foresight.example`,
  },
  {
    name: 'a time to talk as a question',
    body: `Hi Ana,\n\nYour next year with us can deliver more than this one. Your subscription renews on March 31.\n\nWould Tuesday at 10:00 work for a 30-minute planning call?\n\nMaya Chen\n+1 555 0100`,
  },
  {
    name: 'a setting to change',
    body: `Hi Ana,\n\nYour team can get alerts before a limit is reached. You are at 85% of your plan's limit this week.\n\nTurn on usage alerts in Settings, under Notifications.\n\nQuestions? Reply to reach me, Maya.`,
  },
  {
    name: 'SMS',
    channel: 'sms',
    body: 'Hi Ana, keep your account running: the last card payments did not go through. Update the card: https://app.example.com/billing Reply to reach Maya.',
  },
  {
    name: 'in-app',
    channel: 'in_app',
    body: 'Ana, your first project takes about 20 minutes: onboarding is done. Start it here: https://app.example.com Questions? Reply to reach Maya.',
  },
  {
    name: 'call script',
    channel: 'call',
    body: `Hi Ana, it's Maya, your account manager.\n\nI can save your team some time today: the last setup steps take ten minutes.\n\nCan we finish them together now?\n\nI'm your contact for anything else, so call me directly or reply to any of my emails.`,
  },
];

describe('benefit-first lint: the bad corpus', () => {
  it.each(BAD)('flags $name', ({ rule, body, channel, subject }) => {
    expect(rules(body, channel ?? 'email', subject ?? 'Keep your workspace running')).toContain(rule);
  });
});

describe('benefit-first lint: the good corpus', () => {
  it.each(GOOD)('passes $name', ({ body, channel, subject }) => {
    const warnings = lintMessage({
      channel: channel ?? 'email',
      subject: subject ?? 'Keep your workspace running',
      body,
      senderName: 'Maya Chen',
    });
    expect(warnings).toEqual([]);
  });
});

describe('benefit-first lint: messages', () => {
  it('counts each ask chained with "and also" as its own next step (issue 17)', () => {
    const warnings = lintMessage({
      channel: 'email',
      subject: 'Keep your workspace running',
      body: `Hi Ana,\n\nYour workspace stays on. Please update your card and also book a QBR and also fill in our survey.${SIGN}`,
      senderName: 'Maya Chen',
    });
    const multiple = warnings.find((w) => w.rule === 'multiple_ctas');
    expect(multiple?.message).toContain('asks for 3 different things');
    expect(multiple?.excerpt).toBe('Please update your card | book a QBR | fill in our survey.');
  });

  it('keeps one instruction with "and" inside it as one next step', () => {
    const body = `Hi Ana,\n\nYour team can save hours. Open Settings and then Billing: https://app.example.com/billing${SIGN}`;
    expect(rules(body)).not.toContain('multiple_ctas');
  });

  it('counts two asks joined by a plain "and" as two next steps (issue 17)', () => {
    const warnings = lintMessage({
      channel: 'email',
      subject: 'Keep your workspace running',
      body: `Hi Ana,\n\nYour workspace stays on. Please update your card and book a QBR.${SIGN}`,
      senderName: 'Maya Chen',
    });
    const multiple = warnings.find((w) => w.rule === 'multiple_ctas');
    expect(multiple?.message).toContain('asks for 2 different things');
    expect(multiple?.excerpt).toBe('Please update your card | book a QBR.');
    expect(rules(`Hi Ana,\n\nYour team can save hours. Invite your team and fill in our survey.${SIGN}`)).toContain(
      'multiple_ctas',
    );
  });

  it.each([
    ['a noun phrase: terms and conditions', 'Review the terms and conditions: https://app.example.com/terms'],
    ['"Q&A" and "you and your team"', 'Book a Q&A for you and your team: https://cal.example.com/maya'],
    ['a noun that follows "and" and looks like a verb', 'Review the setup and use guide: https://help.example.com'],
    ['a way to the step, then the step', 'Open Settings and choose Billing: https://app.example.com/billing'],
    ['signing in, then the step', 'Sign in and update your card: https://app.example.com/billing'],
  ])('keeps one ask with a plain "and" in it as one next step: %s', (_name, ask) => {
    expect(rules(`Hi Ana,\n\nYour team can save hours. ${ask}${SIGN}`)).not.toContain('multiple_ctas');
  });

  it('explains each warning in one sentence that names the problem and the fix', () => {
    const [warning] = lintMessage({
      channel: 'email',
      subject: 'Card',
      body: 'Our systems experienced a malfunction. Update the card: https://x.example Reply to reach Maya.',
      senderName: null,
    });
    expect(warning?.rule).toBe('company_first');
    expect(warning?.message).toMatch(
      /^The email opens with us, not the customer \(“Our systems experienced a malfunction\.”\); open with what the customer gains/,
    );
  });

  it('quotes the jargon and suggests the customer’s words', () => {
    const warning = lintMessage({
      channel: 'email',
      subject: 'x',
      body: 'Your team is at risk. Book: https://x.example Reply to reach Maya.',
      senderName: null,
    }).find((w) => w.rule === 'jargon');
    expect(warning?.message).toBe(
      '“at risk” in the body is internal jargon; say what you noticed, in their words instead.',
    );
  });

  it('counts SMS length in characters, not bytes, so accented names are not penalised', () => {
    const body = `Hi Zoë, keep your account running: the last card payments did not go through. Update the card: https://app.example.com/billing Reply to reach Maya.`;
    expect([...body].length).toBeLessThanOrEqual(160);
    expect(rules(body, 'sms', null)).not.toContain('too_long');
  });

  it('does not mistake a URL or an email address for jargon', () => {
    const body =
      'Hi Ana, your team can finish setup: https://app.example.com/setup_guide?step=seat_assign Questions? Reply or write to maya_chen@foresight.example.';
    expect(rules(body, 'in_app', null, 'Maya')).not.toContain('jargon');
  });

  it('reports an empty message once, not as every other rule', () => {
    expect(lintMessage({ channel: 'sms', body: '   ' }).map((w) => w.rule)).toEqual(['empty']);
  });
});
