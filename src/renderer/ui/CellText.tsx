/**
 * Text in a narrow table cell that may be cut off: the whole text is in a tooltip that opens on
 * hover and on keyboard focus, and in the accessible name ("Owner: maya.chen@acme.example"), so a
 * keyboard or screen-reader user can read what the column hides. It is a button because that is
 * the element every browser and assistive technology treats as focusable and named; it does nothing
 * when pressed.
 */
import { Tooltip } from './Tooltip.tsx';
import './CellText.css';

export function CellText({ label, text, shown }: { label: string; text: string; shown?: string }) {
  return (
    <Tooltip content={text}>
      <button type="button" className="cell-text" aria-label={`${label}: ${text}`}>
        {shown ?? text}
      </button>
    </Tooltip>
  );
}
