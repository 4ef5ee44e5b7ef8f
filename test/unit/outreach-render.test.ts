import { describe, expect, it } from 'vitest';
import { customerEvidence } from '../../src/domain/outreach/evidence.ts';
import {
  formatDay,
  formatMoney,
  formatPercent,
  TEMPLATE_LANGUAGE,
  textLocale,
} from '../../src/domain/outreach/format.ts';
import { checkTemplate, checkTemplateText, renderText } from '../../src/domain/outreach/render.ts';
import { buildView, firstNameOf, SAMPLE_ACCOUNT, senderFor, type ViewAccount } from '../../src/domain/outreach/view.ts';
import { DEFAULT_OUTREACH_SETTINGS } from '../../src/domain/outreach/settings.ts';
import { NO_EVIDENCE } from '../../src/domain/outreach/evidence.ts';

const links = DEFAULT_OUTREACH_SETTINGS.links;

function view(account: Partial<ViewAccount> = {}, recipientName: string | null = 'Ana Silva', facts = '{}') {
  const full = { ...SAMPLE_ACCOUNT, renewal_date: '2027-01-31', ...account };
  return buildView({
    account: full,
    recipient: { contactId: 'c1', name: recipientName, email: 'ana@acme.example', role: null, isChampion: true },
    sender: senderFor(full.owner_email, {}, links),
    evidence: customerEvidence('payment_failing', facts, {
      locale: textLocale(TEMPLATE_LANGUAGE, full.locale),
      seatsPurchased: full.seats_purchased,
      renewalDate: full.renewal_date,
      createdAt: null,
      contactNames: new Map(),
    }),
    links,
    asOf: '2026-03-10',
  });
}

describe('template tokens', () => {
  it('refuses an unknown token at save time, naming it and suggesting the closest known one', () => {
    const problems = checkTemplate({
      subject: 'Hello {{account.nme}}',
      body: 'Hi {{contact.firstname}}, {{evidence.summary}}',
    });
    expect(problems.map((p) => [p.field, p.token])).toEqual([
      ['subject', 'account.nme'],
      ['body', 'contact.firstname'],
    ]);
    expect(problems[1]?.message).toBe(
      "“{{contact.firstname}}” in the body is not a token Foresight knows, so it would be blank in a customer's message; did you mean {{contact.first_name}}?",
    );
  });

  it('checks names inside sections, inverted sections and triple mustaches too', () => {
    const problems = checkTemplateText('{{#csm.phone}}{{csm.fax}}{{/csm.phone}}{{^nope}}x{{/nope}}{{{raw}}}', 'body');
    expect(problems.map((p) => p.token)).toEqual(['csm.fax', 'nope', 'raw']);
  });

  it('refuses partials and reports syntax errors as a sentence', () => {
    expect(checkTemplateText('{{> footer}}', 'body')[0]?.message).toMatch(/includes another template/);
    const [syntax] = checkTemplateText('{{#csm.phone}}call me', 'body');
    expect(syntax?.code).toBe('template_syntax');
    expect(syntax?.message).toMatch(/^The body has a template error: Unclosed section "csm.phone"/);
  });

  it('accepts every known token and optional sections', () => {
    expect(
      checkTemplate({
        subject: '{{account.name}}',
        body: '{{contact.first_name}} {{#csm.phone}}{{csm.phone}}{{/csm.phone}} {{renewal.date}} {{plan.name}}',
      }),
    ).toEqual([]);
  });
});

describe('rendering', () => {
  it('fills the account, contact, CSM, evidence, renewal and plan', () => {
    const text = renderText(
      'Hi {{contact.first_name}}, {{account.name}} on {{plan.name}} renews {{renewal.date}}. {{evidence.summary}} — {{csm.name}}',
      view(),
    );
    expect(text).toBe(
      "Hi Ana, Acme Corp on Business renews January 31, 2027. Recent attempts to charge the card on file didn't go through. — Maya Chen",
    );
  });

  it('falls back instead of leaving blanks: "there", "your plan", "your renewal date"', () => {
    const v = view({ plan: null, renewal_date: null }, '  ');
    expect(renderText('Hi {{contact.first_name}}, {{plan.name}}, {{renewal.date}}', v)).toBe(
      'Hi there, your plan, your renewal date',
    );
    expect(firstNameOf(null)).toBe('there');
    expect(firstNameOf('Zoë Müller')).toBe('Zoë');
  });

  it('leaves an optional section out when its value is unknown, without a stray blank line', () => {
    const text = renderText('Best,\n{{csm.name}}\n{{#csm.phone}}Call: {{csm.phone}}\n{{/csm.phone}}\n\n\nEnd', view());
    expect(text).toBe('Best,\nMaya Chen\n\nEnd');
  });

  it('outputs plain text: HTML in data is neither escaped nor interpreted, and values are never rendered again', () => {
    const v = view({ name: '<script>alert("x")</script> & Sons' }, '{{csm.email}} <b>Bo</b>');
    expect(renderText('{{account.name}} / {{contact.name}}', v)).toBe(
      '<script>alert("x")</script> & Sons / {{csm.email}} <b>Bo</b>',
    );
  });

  it('names the sender from the owner address, or the team when there is no owner', () => {
    expect(senderFor('maya.chen@foresight.example', {}, links)).toMatchObject({
      name: 'Maya Chen',
      firstName: 'Maya',
      bookingLink: 'https://cal.example.com/maya-chen',
    });
    expect(
      senderFor(
        'maya.chen@foresight.example',
        { 'maya.chen@foresight.example': { name: 'Maya C. Chen', phone: '+1 555 0100' } },
        links,
      ),
    ).toMatchObject({ name: 'Maya C. Chen', phone: '+1 555 0100' });
    expect(senderFor(null, {}, links)).toMatchObject({ name: 'The Customer Success team', known: false });
  });
});

describe('Intl formatting in the account locale and currency', () => {
  it('formats money per locale and currency', () => {
    expect(formatMoney(48000, 'USD', 'en-US')).toBe('$48,000');
    expect(formatMoney(48000, 'EUR', 'de-DE')).toBe('48.000\u00a0€');
    expect(formatMoney(1234.5, 'GBP', 'en-GB')).toBe('£1,234.50');
    expect(formatMoney(48000, 'EUR', 'fr-FR')).toBe('48\u202f000\u00a0€');
  });

  it('formats calendar days without shifting them by time zone', () => {
    expect(formatDay('2027-01-31', 'en-US')).toBe('January 31, 2027');
    expect(formatDay('2027-01-31', 'de-DE')).toBe('31. Januar 2027');
    expect(formatDay('2027-01-31', 'en-GB')).toBe('31 January 2027');
  });

  it('falls back to en-US and the plain code for a bad locale or currency instead of failing', () => {
    expect(formatMoney(100, 'XYZ1', 'not a locale!')).toBe('100 XYZ1');
    expect(formatPercent(0.35, 'fr-FR')).toBe('35\u00a0%');
  });

  it('writes dates and amounts in the template’s language (English) with the account’s region', () => {
    const v = view(
      { locale: 'de-DE', currency: 'EUR' },
      'Jana Weber',
      JSON.stringify({ failures: 3, lastFailedOn: '2026-03-03' }),
    );
    // Not "3. März 2026" in an English sentence: the template is English, the region German.
    expect(renderText('{{account.arr}} · {{evidence.summary}} {{renewal.date}}', v)).toBe(
      "€48,000 · The last 3 attempts to charge the card on file didn't go through, most recently on 3 March 2026. 31 January 2027",
    );
    expect(textLocale('en', 'fr-FR')).toBe('en-FR');
    expect(textLocale('en', null)).toBe('en');
  });
});

describe('evidence in customer terms', () => {
  const ctx = {
    locale: 'en-US',
    seatsPurchased: 40,
    renewalDate: '2026-05-01',
    createdAt: '2026-02-20',
    contactNames: new Map([['c9', 'Tom']]),
  };

  it('turns the engine’s facts into plain sentences without internal names', () => {
    expect(
      customerEvidence('usage_drop', JSON.stringify({ metric: 'active_users', dropShare: 0.42 }), ctx).summary,
    ).toBe('Over the last two weeks, about 42% fewer people on your team have been signing in than usual.');
    expect(
      customerEvidence('seat_underuse', JSON.stringify({ seatsUsed: 13.4, seatsPurchased: 40 }), ctx).summary,
    ).toBe("13 of your 40 seats are in use, so part of your subscription isn't working for you yet.");
    expect(
      customerEvidence(
        'power_user_dormant',
        JSON.stringify({ contactName: 'Tom Becker', lastLoginOn: '2026-02-25' }),
        ctx,
      ).summary,
    ).toBe("Tom used to sign in almost every day, but hasn't since February 25, 2026.");
    expect(
      customerEvidence('performance_degradation', JSON.stringify({ ratio: 1.4, since: '2026-03-07' }), ctx).summary,
    ).toBe('Pages have been loading about 40% more slowly for your team since March 7, 2026.');
  });

  it('has a sentence for every trigger even without facts', () => {
    for (const trigger of [
      'setup_incomplete',
      'champion_left',
      'detractor',
      'support_surge',
      'approaching_limit',
      'renewal_at_risk',
      'silent_churn',
    ] as const) {
      const summary = customerEvidence(trigger, 'not json', { ...ctx, createdAt: null, renewalDate: null }).summary;
      expect(summary).toMatch(/^[A-Z].*\.$/);
      expect(summary).not.toMatch(/_|null|undefined|NaN/);
    }
    expect(customerEvidence(null, '{}', ctx)).toEqual(NO_EVIDENCE);
  });
});
