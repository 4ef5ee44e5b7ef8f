import { useId, useRef, useState, type DragEvent } from 'react';
import type { RecordKind } from '../../../shared/dto/core.ts';
import { rankingFailedText, rankingText, type ImportResult, type SyncOverview } from '../../../shared/dto/sync.ts';
import { api, errorMessage } from '../../api/client.ts';
import { formatCount, formatDate, formatNumber } from '../../format.ts';
import { Link } from '../../router/Link.tsx';
import { Button, buttonClass } from '../../ui/Button.tsx';
import { Chip } from '../../ui/Chip.tsx';
import { ProgressBar } from '../../ui/ProgressBar.tsx';
import { toast } from '../../ui/Toast.tsx';
import { PresetUseDetails } from './PresetUseDetails.tsx';
import { uploadAndImport, type UploadProgress } from './upload.ts';
import { someNames } from '../../../shared/some-names.ts';

const KIND_OPTIONS: { value: RecordKind | ''; label: string }[] = [
  { value: '', label: 'Detect from the column names' },
  { value: 'accounts', label: 'Accounts' },
  { value: 'contacts', label: 'Contacts' },
  { value: 'metrics', label: 'Usage metrics' },
  { value: 'events', label: 'Events' },
];

const ACCEPT = '.csv,.tsv,.txt,.json,.ndjson,.jsonl,text/csv,application/json';

export function ImportPanel({ overview }: { overview: SyncOverview | undefined }) {
  const [kind, setKind] = useState<RecordKind | ''>('');
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [upload, setUpload] = useState<UploadProgress | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const kindId = useId();
  const maxBytes = overview?.maxUploadBytes ?? 50 * 1024 * 1024;

  const finish = (next: ImportResult) => {
    setResult(next);
    const accepted = Object.values(next.accepted).reduce((a, b) => a + b, 0);
    const failedFiles = next.files.filter((f) => f.status === 'failed').length;
    toast({
      title:
        failedFiles > 0
          ? 'Some files were not imported'
          : next.rejected > 0
            ? `Imported with ${formatCount(next.rejected, 'rejected row')}`
            : accepted > 0
              ? 'Import complete'
              : 'Nothing changed',
      description: `${formatCount(accepted, 'row')} new or changed, ${formatNumber(next.unchanged)} unchanged${next.older > 0 ? `, ${formatNumber(next.older)} older than what you have, kept` : ''}.`,
      tone: failedFiles > 0 ? 'error' : next.rejected > 0 ? 'info' : 'success',
    });
  };

  const importFiles = async (files: File[]) => {
    if (files.length === 0 || busy) return;
    setBusy(true);
    setFailure(null);
    setResult(null);
    try {
      finish(await uploadAndImport(files, kind || null, maxBytes, setUpload));
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
      setUpload(null);
      if (input.current) input.current.value = '';
    }
  };

  const choose = async () => {
    if (!overview?.canChooseFiles) {
      input.current?.click();
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const chosen = await api.call('sync.import.choose', kind ? { kind } : {});
      if (chosen.result) finish(chosen.result);
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    void importFiles([...event.dataTransfer.files]);
  };

  return (
    <section className="sync__panel" aria-labelledby="sync-import-title">
      <header className="sync__panel-header">
        <h2 id="sync-import-title" className="sync__panel-title">
          Import files
        </h2>
        <p className="sync__panel-description">
          CSV (comma, semicolon or tab), JSON arrays or NDJSON from your CRM or BI tool. Importing the same file twice
          changes nothing.
        </p>
      </header>
      <div
        className={`sync__drop${dragging ? ' sync__drop--active' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        aria-busy={busy}
      >
        <p className="sync__drop-text">Drop files here, or</p>
        <Button variant="secondary" loading={busy} onClick={() => void choose()}>
          Choose files…
        </Button>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          className="sync__file-input"
          aria-label="Files to import"
          tabIndex={-1}
          onChange={(event) => void importFiles([...(event.target.files ?? [])])}
        />
        <label className="sync__kind" htmlFor={kindId}>
          Record kind
          <select id={kindId} value={kind} onChange={(event) => setKind(event.target.value as RecordKind | '')}>
            {KIND_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {upload && (
        <ProgressBar
          label={`Uploading ${upload.file}`}
          value={upload.sentBytes}
          max={upload.totalBytes}
          detail={`${formatNumber(Math.round(upload.sentBytes / 1024))} of ${formatNumber(Math.round(upload.totalBytes / 1024))} KB`}
        />
      )}
      {failure && (
        <p role="alert" className="sync__error">
          {failure}
        </p>
      )}
      {result && <ImportSummary result={result} />}
    </section>
  );
}

/** The domain's file messages are clauses ("x.csv does not exist"); on screen each is a sentence. */
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

function ImportSummary({ result }: { result: ImportResult }) {
  // A file that could not be read at all is said once, under the file, not again as a rejected row.
  const failed = new Set(result.files.filter((f) => f.status === 'failed').map((f) => f.file));
  const shown = result.errors.filter((e) => !(e.line === null && failed.has(e.file))).slice(0, 8);
  return (
    <div className="sync__result" aria-label="Last import" role="region">
      <ul className="sync__result-files">
        {result.files.map((file) => (
          <li key={file.file}>
            <strong>{file.file}</strong>{' '}
            {file.status === 'failed' ? (
              <Chip tone="red">Not imported</Chip>
            ) : (
              <span className="sync__muted">
                {file.kind ?? 'fixed rows'} · {formatNumber(file.rows)} rows · {formatNumber(file.accepted)} new or
                changed · {formatNumber(file.unchanged)} unchanged ·{' '}
                {file.older > 0 && <>{formatNumber(file.older)} older than what you have, kept · </>}
                {formatNumber(file.rejected)} rejected
              </span>
            )}
            {file.message && <div className="sync__error-text">{sentence(file.message)}</div>}
            {file.ignoredColumns.length > 0 && (
              <div className="sync__muted">Ignored columns: {someNames(file.ignoredColumns)}</div>
            )}
            <PresetUseDetails file={file} />
          </li>
        ))}
      </ul>
      {result.rankingFailed && (
        <p className="sync__ranking" role="alert">
          {rankingFailedText('Imported', result.rankingFailed, 'Today scores the book again when you open it')}
        </p>
      )}
      {result.ranking && (
        <p className="sync__ranking">
          {rankingText(
            result.ranking,
            (n) => formatNumber(n),
            (day) => formatDate(day),
          )}{' '}
          {result.ranking.atRisk > 0 && (
            <Link to="/today" className={buttonClass('secondary')}>
              Open Today
            </Link>
          )}
        </p>
      )}
      {shown.length > 0 && (
        <ul className="sync__result-errors" aria-label="Rejected rows">
          {shown.map((error, index) => (
            <li key={`${error.file}:${error.line}:${index}`}>
              <span className="sync__muted">{error.file}</span> {error.message}
            </li>
          ))}
          {result.rejected > shown.length && (
            <li className="sync__muted">
              …and {formatNumber(result.rejected - shown.length)} more in the quarantine below.
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
