/**
 * Under a file read with a vendor preset: which preset, how its columns were mapped, how rows were
 * matched to accounts, and what a raw event log was rolled up into (docs/sync.md, "Presets").
 */
import type { FileImportReport } from '../../../shared/dto/sync.ts';
import { formatCount, formatNumber } from '../../format.ts';
import { Chip } from '../../ui/Chip.tsx';

export function PresetUseDetails({ file }: { file: FileImportReport }) {
  const use = file.presetUse;
  if (!file.preset || !use) return null;
  const m = use.matched;
  const r = use.rolledUp;
  return (
    <div className="sync__preset">
      <Chip tone="neutral">Preset: {use.title}</Chip>
      {m.alias + m.id + m.domain + m.name + m.unmatched > 0 && (
        <div className="sync__muted">
          Accounts matched: {formatNumber(m.alias)} by remembered alias, {formatNumber(m.id)} by id,{' '}
          {formatNumber(m.domain)} by domain, {formatNumber(m.name)} by name, {formatNumber(m.unmatched)} unmatched
          (quarantined).
          {use.skipped > 0 && ` ${formatCount(use.skipped, 'row')} made no record (e.g. a refund or a pending charge).`}
        </div>
      )}
      {r && (
        <div className="sync__muted">
          Rolled up {formatNumber(r.events)} events into {formatNumber(r.metricRows)} daily rows ({r.metrics.join(', ')}
          ) for {formatNumber(r.accounts)} accounts, days without events recorded as 0.
          {r.notes.map((note) => (
            <span key={note}> Note: {note}.</span>
          ))}
        </div>
      )}
      <details>
        <summary>Column mapping</summary>
        <ul className="sync__preset-mapping">
          {use.mapping.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}
