/**
 * The token vocabulary of outreach templates. A template may use exactly these names (as
 * `{{name}}`, or as a section `{{#name}}…{{/name}}` for optional text); anything else is refused
 * when the template is saved, so an unknown token can never reach a customer as a blank.
 *
 * Every token always has a value when rendered: missing data falls back to a sensible phrase
 * (a blank first name becomes "there"). The optional ones (marked) render empty when unknown and
 * belong inside a section of the same name.
 */
export interface TokenDefinition {
  name: string;
  description: string;
  /** What it renders as for the example account in the editor's token list. */
  example: string;
  /** Empty when unknown: wrap it in {{#name}}…{{/name}}. */
  optional?: boolean;
}

export const TOKENS: readonly TokenDefinition[] = [
  { name: 'account.name', description: "The customer company's name.", example: 'Acme Corp' },
  {
    name: 'account.arr',
    description: "The annual subscription value in the account's currency and locale.",
    example: '$12,000',
  },
  { name: 'account.seats', description: 'Seats purchased.', example: '20' },
  { name: 'contact.first_name', description: 'The recipient\'s first name; "there" when unknown.', example: 'Ana' },
  { name: 'contact.name', description: 'The recipient\'s full name; "there" when unknown.', example: 'Ana Silva' },
  {
    name: 'contact.email',
    description: "The recipient's email address.",
    example: 'ana.silva@acme.example',
    optional: true,
  },
  { name: 'contact.role', description: "The recipient's role.", example: 'Head of Operations', optional: true },
  { name: 'csm.name', description: 'Your name (the account owner).', example: 'Maya Chen' },
  { name: 'csm.first_name', description: 'Your first name.', example: 'Maya' },
  { name: 'csm.email', description: 'Your email address.', example: 'maya.chen@foresight.example', optional: true },
  { name: 'csm.phone', description: 'Your phone number, from Settings.', example: '+1 555 0100', optional: true },
  {
    name: 'csm.booking_link',
    description: 'A link to book time with you.',
    example: 'https://cal.example.com/maya-chen',
  },
  { name: 'plan.name', description: 'The plan the customer is on; "your plan" when unknown.', example: 'Business' },
  { name: 'plan.limit', description: "The plan's usage limit.", example: '1,000', optional: true },
  {
    name: 'renewal.date',
    description: 'The renewal date, written out; "your renewal date" when unknown.',
    example: 'January 31, 2027',
  },
  { name: 'renewal.days', description: 'Days until renewal.', example: '45', optional: true },
  {
    name: 'evidence.summary',
    description: "What happened, in the customer's terms: one sentence.",
    example: "The last 3 attempts to charge your card on file didn't go through.",
  },
  {
    name: 'evidence.count',
    description: 'The number behind the evidence (payments, tickets, people…).',
    example: '3',
    optional: true,
  },
  { name: 'evidence.date', description: 'When it happened, written out.', example: 'March 3, 2026', optional: true },
  { name: 'evidence.percent', description: 'The size of the change, as a percentage.', example: '35%', optional: true },
  {
    name: 'evidence.person',
    description: 'The person the evidence is about (a teammate who went quiet or left).',
    example: 'Tom',
    optional: true,
  },
  {
    name: 'next_goal.title',
    description: "The success plan's next open goal (the soonest target date from today).",
    example: 'Roll out to the support team',
    optional: true,
  },
  {
    name: 'next_goal.due',
    description: "The next goal's target date, written out in the template's language.",
    example: 'April 30, 2026',
    optional: true,
  },
  {
    name: 'next_goal.metric',
    description: 'How the next goal is measured, if the plan says.',
    example: '40 weekly active users',
    optional: true,
  },
  { name: 'links.app', description: 'Your product, signed in.', example: 'https://app.example.com' },
  {
    name: 'links.billing',
    description: 'Billing settings, where a card is updated.',
    example: 'https://app.example.com/settings/billing',
  },
  { name: 'links.setup', description: 'The setup checklist.', example: 'https://app.example.com/setup' },
  {
    name: 'links.team',
    description: 'Team settings, where people are invited or seats assigned.',
    example: 'https://app.example.com/settings/team',
  },
  { name: 'links.plans', description: 'Plans and upgrades.', example: 'https://app.example.com/settings/plan' },
  { name: 'links.help', description: 'The help centre.', example: 'https://help.example.com' },
  { name: 'links.status', description: 'The service status page.', example: 'https://status.example.com' },
  { name: 'links.feedback', description: 'A short feedback form.', example: 'https://app.example.com/feedback' },
];

export const TOKEN_NAMES: ReadonlySet<string> = new Set(TOKENS.map((token) => token.name));

/** The nested object Mustache renders against; every leaf is plain text. */
export interface TemplateView {
  account: { name: string; arr: string; seats: string };
  contact: { first_name: string; name: string; email: string; role: string };
  csm: { name: string; first_name: string; email: string; phone: string; booking_link: string };
  plan: { name: string; limit: string };
  renewal: { date: string; days: string };
  evidence: { summary: string; count: string; date: string; percent: string; person: string };
  /** Empty strings when the success plan has no open goal ahead. */
  next_goal: { title: string; due: string; metric: string };
  links: {
    app: string;
    billing: string;
    setup: string;
    team: string;
    plans: string;
    help: string;
    status: string;
    feedback: string;
  };
}

/** The closest known token, for "did you mean" in an unknown-token message. */
export function closestToken(name: string): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const known of TOKEN_NAMES) {
    const distance = editDistance(name.toLowerCase(), known);
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(3, Math.floor(name.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
