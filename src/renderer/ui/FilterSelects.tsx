/**
 * The filter drop-downs Today and Accounts share: the health band (from the shared BANDS vocabulary)
 * and the segment (from the book's facets). The caller wraps each in its own labelled field.
 */
import { BANDS, type Band } from '../../shared/dto/risk.ts';
import { BAND_LABEL } from './Chip.tsx';

const isBand = (value: string): value is Band => (BANDS as readonly string[]).includes(value);

export function BandSelect({ value, onChange }: { value: Band | null; onChange: (band: Band | null) => void }) {
  return (
    <select value={value ?? ''} onChange={(e) => onChange(isBand(e.target.value) ? e.target.value : null)}>
      <option value="">All bands</option>
      {BANDS.map((band) => (
        <option key={band} value={band}>
          {BAND_LABEL[band]}
        </option>
      ))}
    </select>
  );
}

export function SegmentSelect({
  value,
  segments,
  onChange,
}: {
  value: string | null;
  segments: readonly string[];
  onChange: (segment: string | null) => void;
}) {
  return (
    <select value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
      <option value="">All segments</option>
      {segments.map((segment) => (
        <option key={segment} value={segment}>
          {segment}
        </option>
      ))}
    </select>
  );
}
