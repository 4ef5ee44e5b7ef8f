/**
 * The one sentence for text over its cap: "The note is 6,000 characters; keep it to 5,000." The
 * domain's checks (CLI and API) and the renderer's forms say it alike; the forms refuse such text
 * before sending it rather than letting a `maxlength` cut what was pasted without a word.
 */
const count = new Intl.NumberFormat('en-US');

/** "is 6,000 characters; keep it to 5,000": the predicate, for sentences built elsewhere. */
export const tooLongPredicate = (length: number, max: number): string =>
  `is ${count.format(length)} characters; keep it to ${count.format(max)}`;

/** The sentence about `text` (trimmed, as it is saved), or null when it fits. */
export function tooLongSentence(subject: string, text: string, max: number): string | null {
  const length = text.trim().length;
  return length > max ? `${subject} ${tooLongPredicate(length, max)}.` : null;
}
