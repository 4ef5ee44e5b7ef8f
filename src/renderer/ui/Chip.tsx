import type { HTMLAttributes, ReactNode } from 'react';
import './Chip.css';

export type ChipTone = 'red' | 'yellow' | 'green' | 'neutral' | 'accent';

export interface ChipProps extends HTMLAttributes<HTMLSpanElement> {
  tone?: ChipTone;
  /** A coloured dot before the label; the label itself must still say what the colour means. */
  dot?: boolean;
  children: ReactNode;
}

export function Chip({ tone = 'neutral', dot = false, className, children, ...rest }: ChipProps) {
  return (
    <span {...rest} className={['chip', `chip--${tone}`, className].filter(Boolean).join(' ')}>
      {dot && <span className="chip__dot" aria-hidden="true" />}
      {children}
    </span>
  );
}

import type { Band } from '../../shared/dto/risk.ts';

export type { Band };

/** Each band's name in words: chips, filters and grid cells use this one list. */
export const BAND_LABEL: Record<Band, string> = { red: 'Red', yellow: 'Yellow', green: 'Green' };

/** A health band chip: colour plus the band's name, so it reads without colour vision. */
export function BandChip({ band, children }: { band: Band; children?: ReactNode }) {
  return (
    <Chip tone={band} dot>
      {children ?? BAND_LABEL[band]}
    </Chip>
  );
}
