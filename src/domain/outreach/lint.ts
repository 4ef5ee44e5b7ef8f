/**
 * The benefit-first lint. A proactive message earns its place when it opens with what the
 * customer gains (or what is already taken care of), explains the evidence in their words, asks
 * for exactly one next step and says which human to reach. Each rule returns one plain sentence
 * that the template editor and the composer show as-is.
 *
 * The checks are heuristics over plain text; the word lists live in lint-rules.ts.
 */
import { CHANNEL_LABELS, type OutreachChannel } from './channels.ts';
import {
  APOLOGY_OPENINGS,
  CHAINED_ASK,
  COMPANY_OPENINGS,
  CTA_VERBS,
  EMAIL_ADDRESS,
  EMPTY_QUESTION,
  GREETING,
  HANDOFF_PATTERNS,
  JARGON,
  LEADING_CLAUSE,
  LENGTH_LIMITS,
  ASK_OBJECT,
  PHONE_NUMBER,
  PLAIN_AND,
  REQUEST_QUESTION,
  SIGN_OFF,
  SNAKE_CASE,
  SOFTENERS,
  TAKEN_CARE_OF,
  URL,
  WAYFINDING_VERBS,
  type OpeningPattern,
} from './lint-rules.ts';

export const LINT_RULES = [
  'empty',
  'company_first',
  'apology_first',
  'no_next_step',
  'multiple_ctas',
  'no_human_handoff',
  'jargon',
  'too_long',
  'unresolved_token',
] as const;
export type LintRule = (typeof LINT_RULES)[number];

export interface LintWarning {
  rule: LintRule;
  field: 'subject' | 'body';
  message: string;
  /** The words the warning is about, when there are some. */
  excerpt: string | null;
}

export interface LintInput {
  channel: OutreachChannel;
  subject?: string | null;
  body: string;
  /** The sender's name; when given, the message must mention it (by first name at least). */
  senderName?: string | null;
}

export function lintMessage(input: LintInput): LintWarning[] {
  const body = input.body.replace(/\r\n?/g, '\n');
  const subject = input.channel === 'email' ? (input.subject ?? '').trim() : '';
  const warnings: LintWarning[] = [];
  const channelName = CHANNEL_LABELS[input.channel].toLowerCase();

  if (input.channel === 'email' && subject === '') {
    warnings.push({
      rule: 'empty',
      field: 'subject',
      excerpt: null,
      message: 'The email has no subject; write one that says what the customer gains.',
    });
  }
  if (body.trim() === '') {
    warnings.push({
      rule: 'empty',
      field: 'body',
      excerpt: null,
      message: `The ${channelName} is empty; write what the customer gains, the evidence, one next step and who to reach.`,
    });
    return warnings;
  }

  warnings.push(...unresolvedTokens(subject, 'subject'), ...unresolvedTokens(body, 'body'));

  if (subject) {
    const opening = classifyOpening(subject);
    if (opening) warnings.push(openingWarning(opening, 'subject', 'subject line'));
  }
  const opening = classifyOpening(firstSentence(body));
  if (opening) warnings.push(openingWarning(opening, 'body', channelName));

  const structure = analyseStructure(body);
  if (structure.ctas.length === 0) {
    warnings.push({
      rule: 'no_next_step',
      field: 'body',
      excerpt: null,
      message: `The ${channelName} has no clear next step; end with one thing the customer can do: a link, a time to talk or a setting to change.`,
    });
  } else if (structure.ctas.length > 1) {
    const quoted = structure.ctas
      .slice(0, 3)
      .map((cta) => `“${clip(cta, 48)}”`)
      .join(', ');
    warnings.push({
      rule: 'multiple_ctas',
      field: 'body',
      excerpt: structure.ctas.join(' | '),
      message: `The ${channelName} asks for ${structure.ctas.length} different things (${quoted}); keep exactly one next step so the customer knows what to do.`,
    });
  }
  if (!structure.handoff) {
    warnings.push({
      rule: 'no_human_handoff',
      field: 'body',
      excerpt: null,
      message: `The ${channelName} gives no way to reach a person; end with your name and how to reach you (reply, phone or email).`,
    });
  } else if (input.senderName && !mentionsName(`${subject}\n${body}`, input.senderName)) {
    warnings.push({
      rule: 'no_human_handoff',
      field: 'body',
      excerpt: input.senderName,
      message: `The ${channelName} does not say who is writing; sign it with your name (${input.senderName}) so the customer knows which person to reach.`,
    });
  }

  warnings.push(...jargon(subject, 'subject'), ...jargon(body, 'body'));

  const limit = LENGTH_LIMITS[input.channel];
  const length = [...body.trim()].length;
  if (limit !== undefined && length > limit) {
    warnings.push({
      rule: 'too_long',
      field: 'body',
      excerpt: null,
      message: `The ${channelName} is ${length} characters; keep it to ${limit} so it ${input.channel === 'sms' ? 'arrives as one text' : 'fits without scrolling'}.`,
    });
  }
  const subjectLimit = LENGTH_LIMITS.email_subject;
  if (subject && subjectLimit !== undefined && [...subject].length > subjectLimit) {
    warnings.push({
      rule: 'too_long',
      field: 'subject',
      excerpt: null,
      message: `The subject line is ${[...subject].length} characters; keep it under ${subjectLimit} so inboxes do not cut it off.`,
    });
  }
  return warnings;
}

/** Only the sentences the customer reads first matter for the opening rule. */
export function firstSentence(body: string): string {
  const text = body.trim().replace(GREETING, '').trim();
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const end = /[.!?](\s|$)/.exec(line);
  return (end ? line.slice(0, end.index + 1) : line).trim();
}

type Opening = { rule: 'company_first' | 'apology_first'; pattern: OpeningPattern; text: string };

function classifyOpening(sentence: string): Opening | null {
  const text = sentence.trim().replace(/^["“'‘(]+/, '');
  for (const pattern of APOLOGY_OPENINGS)
    if (pattern.pattern.test(text)) return { rule: 'apology_first', pattern, text };
  if (TAKEN_CARE_OF.test(text)) return null;
  for (const pattern of COMPANY_OPENINGS)
    if (pattern.pattern.test(text)) return { rule: 'company_first', pattern, text };
  return null;
}

function openingWarning(opening: Opening, field: 'subject' | 'body', where: string): LintWarning {
  const quoted = `“${clip(opening.text, 40)}”`;
  const message =
    opening.rule === 'apology_first'
      ? `The ${where} opens with an apology (${quoted}); open with what the customer gains or what is already taken care of, and keep any apology for later.`
      : `The ${where} opens with us, not the customer (${quoted}); open with what the customer gains or what is already taken care of.`;
  return { rule: opening.rule, field, excerpt: opening.text, message };
}

interface Structure {
  ctas: string[];
  handoff: boolean;
}

/**
 * Splits the message into sentences and the signature, then finds the calls to action (a link,
 * an instruction, a proposed time) and the hand-off to a person (reply, call me, an address).
 */
export function analyseStructure(body: string): Structure {
  const lines = body.split('\n').map((line) => line.trim());
  const signOff = lines.findIndex((line, index) => index > 0 && SIGN_OFF.test(line));
  const main = signOff === -1 ? lines : lines.slice(0, signOff);
  const signature = signOff === -1 ? '' : lines.slice(signOff).join('\n');

  const ctas: string[] = [];
  let handoff = signature !== '' && (hasMatch(signature, EMAIL_ADDRESS) || PHONE_NUMBER.test(signature));
  for (const sentence of sentences(main.join('\n'))) {
    const isHandoff =
      HANDOFF_PATTERNS.some((pattern) => pattern.test(withoutUrls(sentence))) ||
      hasMatch(sentence, EMAIL_ADDRESS) ||
      PHONE_NUMBER.test(withoutUrls(sentence));
    if (isHandoff) handoff = true;
    if (isCallToAction(sentence)) ctas.push(...chainedAsks(sentence));
  }
  return { ctas, handoff };
}

function sentences(text: string): string[] {
  const result: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    // Split after ., ! or ? followed by a space; a URL's dots are not followed by spaces.
    for (const part of trimmed.split(/(?<=[.!?])\s+/)) {
      const sentence = part.trim();
      if (!sentence) continue;
      // "Update the card here:" followed by the link on its own line is one instruction.
      const previous = result.at(-1);
      if (previous !== undefined && previous.endsWith(':') && /^(https?:\/\/|www\.)/i.test(sentence))
        result[result.length - 1] = `${previous} ${sentence}`;
      else result.push(sentence);
    }
  }
  return result;
}

/**
 * A call to action split into its asks: "Please update your card and also book a call" is two next
 * steps, each clause after a chaining word (CHAINED_ASK) that itself reads as an instruction, and
 * "update your card and book a QBR" is two as well (a plain "and" before a new ask, PLAIN_AND).
 */
function chainedAsks(sentence: string): string[] {
  const [first = sentence, ...rest] = sentence.split(new RegExp(CHAINED_ASK.source, 'gi'));
  // A chained clause counts for its verb, not a link: "open Settings and then Billing: <link>" is one step.
  const more = rest.filter((clause) => isCallToAction(withoutUrls(clause)));
  const clauses = more.length === 0 ? [sentence] : [first, ...more];
  const asks = clauses.flatMap(splitOnPlainAnd).map((clause) => clause.trim());
  return asks.length === 1 ? [sentence] : asks;
}

/** "update your card and book a QBR" → both; "open Settings and choose Billing" and "terms and conditions" stay one. */
function splitOnPlainAnd(clause: string): string[] {
  const parts = clause.split(new RegExp(PLAIN_AND.source, 'gi'));
  const asks: string[] = [parts[0] ?? clause];
  for (const part of parts.slice(1)) {
    const previousVerb = leadingVerb(asks.at(-1) ?? '');
    const verb = leadingVerb(part);
    const object = verb ? instruction(part).slice(verb.length).trimStart() : '';
    const newAsk =
      verb !== null && previousVerb !== null && !WAYFINDING_VERBS.includes(previousVerb) && ASK_OBJECT.test(object);
    if (newAsk) asks.push(part);
    else asks[asks.length - 1] = `${asks.at(-1)} and ${part}`;
  }
  return asks;
}

/** The sentence without a greeting, a list marker, a leading clause or softeners: where its verb starts. */
function instruction(sentence: string): string {
  let text = sentence.replace(GREETING, '').replace(/^[-•*·>\d.)\s]+/, '');
  text = text.replace(LEADING_CLAUSE, '');
  for (let i = 0; i < 3; i++) text = text.replace(SOFTENERS, '');
  return text;
}

/** The CTA verb an instruction starts with, or null. */
function leadingVerb(sentence: string): string | null {
  const lower = instruction(sentence).toLowerCase();
  return CTA_VERBS.find((verb) => lower.startsWith(`${verb} `) || lower.startsWith(`${verb}:`)) ?? null;
}

function isCallToAction(sentence: string): boolean {
  if (hasMatch(sentence, URL)) return true;
  const text = instruction(sentence);
  if (/^let['’]s\s+\w/.test(text.toLowerCase())) return true;
  if (leadingVerb(text) !== null) return true;
  return REQUEST_QUESTION.test(text) && !EMPTY_QUESTION.test(text);
}

function unresolvedTokens(text: string, field: 'subject' | 'body'): LintWarning[] {
  if (!text.includes('{{') && !text.includes('}}')) return [];
  const found = new Set<string>();
  for (const match of text.matchAll(/\{\{\s*[#^/&>{]?\s*([^}]*?)\s*\}?\}\}/g)) found.add(match[0]);
  if (found.size === 0) found.add(text.includes('{{') ? '{{' : '}}');
  return [...found].slice(0, 5).map((token) => ({
    rule: 'unresolved_token' as const,
    field,
    excerpt: token,
    message: `The ${field} still contains ${token}, which the customer would see as-is; replace it with real words or a known token.`,
  }));
}

function jargon(text: string, field: 'subject' | 'body'): LintWarning[] {
  if (!text) return [];
  const clean = withoutTokens(withoutUrls(text).replace(EMAIL_ADDRESS, ' '));
  const warnings: LintWarning[] = [];
  const seen = new Set<string>();
  for (const match of clean.matchAll(SNAKE_CASE)) {
    if (seen.has(match[0])) continue;
    seen.add(match[0]);
    warnings.push({
      rule: 'jargon',
      field,
      excerpt: match[0],
      message: `“${match[0]}” in the ${field} is an internal name; describe it the way the customer sees it.`,
    });
  }
  for (const term of JARGON) {
    const match = term.pattern.exec(clean);
    if (!match || seen.has(term.term)) continue;
    seen.add(term.term);
    warnings.push({
      rule: 'jargon',
      field,
      excerpt: match[0],
      message: `“${match[0]}” in the ${field} is internal jargon; say ${term.instead} instead.`,
    });
  }
  return warnings;
}

function mentionsName(text: string, name: string): boolean {
  const first = name.trim().split(/\s+/)[0] ?? '';
  if (!first) return true;
  return text.toLowerCase().includes(first.toLowerCase());
}

function withoutUrls(text: string): string {
  return text.replace(URL, ' ');
}

function withoutTokens(text: string): string {
  return text.replace(/\{\{[^}]*\}\}/g, ' ');
}

function hasMatch(text: string, pattern: RegExp): boolean {
  pattern.lastIndex = 0;
  const found = pattern.test(text);
  pattern.lastIndex = 0;
  return found;
}

function clip(text: string, max: number): string {
  const chars = [...text.trim()];
  return chars.length <= max
    ? chars.join('')
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
