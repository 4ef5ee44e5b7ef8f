/**
 * Validation problems as sentences a person can act on: "The usage trend weight can't be
 * negative." instead of "components.usage_trend.weight: Too small: expected number to be >=0".
 * One function maps a zod issue (or anything shaped like one) to one sentence, naming the field in
 * the words of settings-fields.ts; the score configuration, the outreach settings and Settings all
 * use it.
 */
import { fieldAt, subjectOf, type FieldUnit, type TriggerNames } from './settings-fields.ts';
import { tooLongPredicate } from './text-length.ts';

/** The parts of a zod issue the sentence needs (zod's own issue type satisfies it). */
export interface IssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  origin?: string;
  expected?: string;
  format?: string;
  keys?: readonly string[];
  values?: readonly unknown[];
  /** For a bad key of a record (an address keying the senders): what is wrong with the key. */
  issues?: readonly IssueLike[];
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
export const sentence = (text: string) => capitalise(text.trim().replace(/[.\s]+$/, '')) + '.';

/** "1 day", "3 days", "0.7", "100 points". */
function amount(value: number | bigint, unit: FieldUnit | undefined): string {
  const n = Number(value);
  if (unit === 'days') return `${n} ${n === 1 ? 'day' : 'days'}`;
  if (unit === 'points') return `${n} ${n === 1 ? 'point' : 'points'}`;
  if (unit === 'fraction') return `${n} (${Math.round(n * 100)}%)`;
  if (unit === 'multiple') return `${n} times the usual`;
  return String(n);
}

function tooSmall(issue: IssueLike, unit: FieldUnit | undefined): string {
  const min = Number(issue.minimum ?? 0);
  if (issue.origin === 'array') return min <= 1 ? 'needs at least one choice' : `needs at least ${min} choices`;
  if (issue.origin === 'string') return min <= 1 ? "can't be empty" : `needs at least ${min} characters`;
  if (min === 0 && issue.inclusive !== false) return "can't be negative";
  return issue.inclusive === false ? `must be more than ${amount(min, unit)}` : `must be at least ${amount(min, unit)}`;
}

function tooBig(issue: IssueLike, unit: FieldUnit | undefined, received: unknown): string {
  const max = Number(issue.maximum ?? 0);
  if (issue.origin === 'array') return `can have at most ${max} choices`;
  // The size typed, so the user knows how much to cut: "is 200,000 characters; keep it to 50,000".
  if (issue.origin === 'string' && typeof received === 'string') return tooLongPredicate(received.length, max);
  if (issue.origin === 'string') return `can be at most ${max} characters long`;
  return issue.inclusive === false
    ? `must be less than ${amount(max, unit)}`
    : `can't be more than ${amount(max, unit)}`;
}

function badFormat(issue: IssueLike, unit: FieldUnit | undefined): string {
  if (issue.format === 'email') return 'must be an email address such as maya@example.com';
  if (issue.format === 'url') return 'must be a web address starting with https://';
  if (unit === 'time') return 'must be a time such as 09:00';
  if (issue.message.startsWith('expected ')) return `must be ${issue.message.slice('expected '.length)}`;
  return "isn't in a form Foresight can read";
}

/** A value's type as the sentence says it: "must be text". */
const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  bigint: 'a whole number',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a group of fields',
  date: 'a date',
};

/**
 * What is wrong, as a predicate of the sentence: "can't be negative". `received` is the value that
 * was refused, when the caller has it.
 */
export function issuePredicate(issue: IssueLike, unit: FieldUnit | undefined, received?: unknown): string {
  switch (issue.code) {
    case 'too_small':
      return tooSmall(issue, unit);
    case 'too_big':
      return tooBig(issue, unit, received);
    case 'invalid_type':
      if (issue.expected === 'int')
        return unit === 'days' ? 'must be a whole number of days' : 'must be a whole number';
      return issue.expected ? `must be ${TYPE_WORDS[issue.expected] ?? `a ${issue.expected}`}` : 'is missing';
    case 'invalid_format':
      return badFormat(issue, unit);
    case 'invalid_value':
      return `must be one of ${(issue.values ?? []).map(String).join(', ')}`;
    default:
      return '';
  }
}

/**
 * One sentence for one validation problem. Problems about a whole document (an unknown key, a
 * rule across fields) keep their own wording, capitalised, since it already says what is wrong.
 */
export function issueSentence(issue: IssueLike, triggerName?: TriggerNames): string {
  // A record's key is the setting itself (the sender's address): its problem, about the record.
  if (issue.code === 'invalid_key' && issue.issues?.[0])
    return issueSentence({ ...issue.issues[0], path: issue.path.slice(0, -1) }, triggerName);
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue.keys ?? []).join(', ');
    return sentence(
      `${keys} ${issue.keys && issue.keys.length > 1 ? 'are not settings' : 'is not a setting'} Foresight knows`,
    );
  }
  const unit = fieldAt(issue.path)?.unit;
  const what = issuePredicate(issue, unit);
  if (!what) return sentence(issue.message);
  return sentence(`${subjectOf(issue.path, triggerName)} ${what}`);
}
