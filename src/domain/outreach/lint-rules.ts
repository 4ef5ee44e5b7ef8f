/**
 * The benefit-first lint's vocabulary, as data: what counts as a company-first or apology-first
 * opening, internal jargon, a call to action and a human hand-off, and the length limits per
 * channel. lint.ts applies them; tune the lists here.
 */
import type { OutreachChannel } from './channels.ts';

export interface OpeningPattern {
  pattern: RegExp;
  /** How the opening is quoted back to the user. */
  label: string;
}

/** Apology-first openings; checked before company-first so "We're sorry" is reported as an apology. */
export const APOLOGY_OPENINGS: readonly OpeningPattern[] = [
  { pattern: /^unfortunately\b/i, label: 'Unfortunately' },
  { pattern: /^regrettably\b/i, label: 'Regrettably' },
  { pattern: /^(we're|we are|i'm|i am|so) sorry\b/i, label: 'Sorry' },
  { pattern: /^sorry\b/i, label: 'Sorry' },
  { pattern: /^(my |our )?apolog(y|ies)\b/i, label: 'Apologies' },
  { pattern: /^(we|i) (sincerely |deeply )?apologi[sz]e\b/i, label: 'We apologise' },
  { pattern: /^(we|i) regret\b/i, label: 'We regret' },
  { pattern: /^please (accept|excuse|forgive)\b/i, label: 'Please accept our apologies' },
  { pattern: /^due to (a|an|the|some|our|technical)\b/i, label: 'Due to…' },
];

export const COMPANY_OPENINGS: readonly OpeningPattern[] = [
  { pattern: /^our systems?\b/i, label: 'Our systems' },
  { pattern: /^our\b/i, label: 'Our' },
  { pattern: /^(we|we're|we've|we'd|we'll|we’re|we’ve|we’d|we’ll)\b/i, label: 'We' },
  { pattern: /^us\b/i, label: 'Us' },
  { pattern: /^(at|here at) [\w&.-]+( [\w&.-]+)?,? we\b/i, label: 'At <company>, we' },
  { pattern: /^the [\w&.-]+ team\b/i, label: 'The … team' },
  {
    pattern: /^(i|i'm|i am|i’m) (just )?(wanted|writing|reaching out|following up|checking in|hoping)\b/i,
    label: 'I wanted to…',
  },
  { pattern: /^(just )?(checking in|following up|touching base|circling back)\b/i, label: 'Just checking in' },
  { pattern: /^i hope (this|you|all)\b/i, label: 'I hope this finds you well' },
  { pattern: /^as you (may )?know\b/i, label: 'As you may know' },
];

/**
 * "We've resolved an issue that could have affected your account" starts with "We" but tells the
 * customer what is already taken care of: that is benefit-first, so it is not flagged.
 */
export const TAKEN_CARE_OF =
  /^(we|we've|we’ve|we have|we just|we've just|we’ve just|we have just|we've already|we’ve already|we have already)\s+(already\s+|just\s+)?(resolved|fixed|restored|sorted|taken care of|credited|refunded|extended|upgraded|added|unlocked|cleared|reset|reactivated|recovered|enabled|secured|waived|doubled|increased|renewed|saved|applied|turned on|switched on|set up)\b/i;

/** A greeting before the first sentence is skipped: "Hi Ana," / "Hello there!" / "Dear Ana". */
export const GREETING =
  /^(hi|hello|hey|dear|good (morning|afternoon|evening)|greetings|hallo|bonjour|hola)\b[^\n,.!?:;]*[,.!:;]?\s*/i;

/** A sign-off line starts the signature; lines after it are names and contact details. */
export const SIGN_OFF =
  /^(best|thanks|thank you|many thanks|cheers|regards|kind regards|best regards|warm regards|warmly|all the best|speak soon|talk soon|sincerely|yours)\b[^\n]{0,20}$|^(—|--|–)\s*\S/i;

export interface JargonTerm {
  pattern: RegExp;
  term: string;
  /** The customer's words for it, offered in the warning. */
  instead: string;
}

export const JARGON: readonly JargonTerm[] = [
  {
    pattern: /\bchurn(ed|ing|s)?\b/i,
    term: 'churn',
    instead: 'leaving or cancelling, or better, what they would lose',
  },
  { pattern: /\bat[- ]risk\b/i, term: 'at risk', instead: 'what you noticed, in their words' },
  { pattern: /\b(health|risk) scores?\b/i, term: 'health score', instead: 'what you noticed, in their words' },
  { pattern: /\bARR\b|\bMRR\b/, term: 'ARR', instead: 'your subscription' },
  { pattern: /\bNPS\b|\bnet promoter\b/i, term: 'NPS', instead: 'your feedback' },
  { pattern: /\b(detractors?|promoters?)\b/i, term: 'detractor', instead: 'your feedback' },
  { pattern: /\b(DAU|MAU|WAU)s?\b/, term: 'DAU/MAU', instead: 'people on your team signing in' },
  { pattern: /\butili[sz]ation\b/i, term: 'utilisation', instead: 'how many seats are in use' },
  { pattern: /\bpower[- ]users?\b/i, term: 'power user', instead: "the person's name, or your most active teammate" },
  { pattern: /\bdormant\b/i, term: 'dormant', instead: "hasn't signed in lately" },
  { pattern: /\bcohorts?\b/i, term: 'cohort', instead: 'customers like you' },
  { pattern: /\b(up|cross)[- ]?sell(s|ing)?\b/i, term: 'upsell', instead: 'what the customer gains from the change' },
  {
    pattern: /\b(QBR|EBR|CSM|SLA|KPI)s?\b/,
    term: 'QBR/CSM/SLA',
    instead: 'plain words (a review call, your account manager, our promise)',
  },
  { pattern: /\blatency\b|\bp9[59]\b/i, term: 'latency', instead: 'how quickly pages load' },
  { pattern: /\bticket volume\b/i, term: 'ticket volume', instead: 'how often your team has asked us for help' },
  {
    pattern: /\b(holdout|control group)\b/i,
    term: 'control group',
    instead: 'nothing: customers never need to hear about it',
  },
  {
    pattern: /\b(interventions?|playbooks?|touch ?points?|book of business)\b/i,
    term: 'intervention',
    instead: 'plain words about what you will do for them',
  },
  {
    pattern: /\b(risk items?|triggers? fired|fired triggers?)\b/i,
    term: 'risk item',
    instead: 'what you noticed, in their words',
  },
];

/** An identifier such as seats_used or payment_failing: always an internal name. */
export const SNAKE_CASE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g;

export const URL = /\bhttps?:\/\/[^\s<>"')\]]+|\bwww\.[^\s<>"')\]]+/gi;
export const EMAIL_ADDRESS = /\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g;
export const PHONE_NUMBER = /(\+|\b)\d[\d ()./-]{6,}\d\b/;

/** Verbs that start a call to action: something the customer does in the product or to meet you. */
export const CTA_VERBS = [
  'update',
  'add',
  'book',
  'pick',
  'choose',
  'click',
  'tap',
  'visit',
  'open',
  'head',
  'go',
  'follow',
  'join',
  'try',
  'turn',
  'switch',
  'enable',
  'invite',
  'assign',
  'reassign',
  'review',
  'confirm',
  'sign',
  'log',
  'start',
  'finish',
  'complete',
  'schedule',
  'grab',
  'upgrade',
  'share',
  'accept',
  'fill',
  'take',
  'set',
  'use',
  'answer',
  'watch',
  'read',
  'download',
  'install',
  'connect',
  'import',
  'change',
  'remove',
  'nominate',
  'introduce',
  'forward',
  'claim',
  'activate',
  'register',
  'retry',
  'approve',
  'create',
  'run',
  'explore',
  'move',
  'check out',
] as const;

/**
 * Words that chain a second ask onto the first in one sentence ("update your card and also book a
 * call"). The clause after one counts as its own call to action when it starts with a CTA verb;
 * a plain "and" is stricter (PLAIN_AND), since "open Settings and choose Billing" is one step.
 */
export const CHAINED_ASK =
  /[,;]?\s+(?:and also|and then|and after that|and finally|plus|as well as|[,;]\s*also|[,;]\s*then)\s+/i;

/**
 * A plain "and" joins two asks only when the clause after it reads as a new instruction: a CTA verb
 * and then its object ("update your card and book a QBR"). Noun phrases ("terms and conditions",
 * "you and your team", "Q&A") never start with a verb followed by an object, so they stay whole.
 */
export const PLAIN_AND = /\s+and\s+/i;

/** What follows a verb that is being asked for: an object or a particle ("book a", "fill in", "invite your"). */
export const ASK_OBJECT =
  /^(?:a|an|the|your|our|my|us|me|it|them|this|that|these|those|some|any|every|all|in|up|out|on|over|back|time|one|two|\d+)\b/i;

/**
 * Verbs that only find the way to the step that follows ("open Settings and choose Billing",
 * "sign in and update your card"): a plain "and" after one of them continues the same step.
 */
export const WAYFINDING_VERBS: readonly string[] = [
  'open',
  'go',
  'head',
  'visit',
  'click',
  'tap',
  'sign',
  'log',
  'follow',
];

/** Leading words that do not change whether a sentence is an instruction. */
export const SOFTENERS =
  /^(please|just|simply|now|then|so|first|next|today|feel free to|you can|you could|all you need to do is|the quickest fix is to|the fix:?|to fix it,?)\s+/i;

/** A leading subordinate clause ("When you have a minute, …") before the main verb. */
export const LEADING_CLAUSE = /^(if|when|to|once|whenever|before|after|while|as soon as|whenever)\b[^,]{1,80},\s*/i;

/** "Would Tuesday at 10:00 work?", "Can we find 20 minutes?": a proposed next step. */
export const REQUEST_QUESTION =
  /^(would|could|can|shall|should|how about|what about|are you free|do you have|is there a time|when is|which)\b[^?]*\?/i;

/** Questions that invite a reply but propose nothing ("Any questions?"). */
export const EMPTY_QUESTION = /\bquestions?\b|\banything else\b|\bany thoughts\b/i;

/** Ways to reach a person. */
export const HANDOFF_PATTERNS: readonly RegExp[] = [
  /\breply\b(?!\s+stop)/i,
  /\b(call|ring|text|email|e-mail|write to|message|reach|contact|ask|tell|ping) me\b/i,
  /\b(with|to) me\b/i,
  /\b(talk|speak|chat) (to|with) (a person|someone|a human|a real person|me)\b/i,
  /\bI('m| am|’m) (here|around|happy|glad|available|your)\b/i,
  /\bI('ll| will|’ll) (call|be|help|take|sort|handle|look|walk|check|follow|make|personally)\b/i,
  /\bmy (direct )?(line|number|phone|email|calendar|cell|mobile)\b/i,
  /\blet me know\b/i,
  /\bhere to help\b/i,
];

export const LENGTH_LIMITS: Partial<Record<OutreachChannel | 'email_subject', number>> = {
  sms: 160,
  in_app: 200,
  email_subject: 90,
};
