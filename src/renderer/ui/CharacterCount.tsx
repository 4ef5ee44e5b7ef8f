/**
 * A live count under a text field with a cap ("4,980 / 5,000 characters"), in place of a
 * `maxlength` that would cut pasted text without a word. The form refuses text over the cap with
 * tooLongSentence (src/shared/text-length.ts), the sentence the CLI and the API say.
 */
import './CharacterCount.css';

const count = new Intl.NumberFormat();

export function CharacterCount({ id, text, max }: { id: string; text: string; max: number }) {
  const length = text.trim().length;
  return (
    <span id={id} className={length > max ? 'character-count character-count--over' : 'character-count'}>
      {count.format(length)} / {count.format(max)} characters
    </span>
  );
}
