/** The columns `foresight quarantine export` writes before a record's fields (quarantine-fix.ts reads them back). */
export const FIX_FILE_COLUMNS = ['quarantine_id', 'kind', 'file', 'line', 'field', 'reason'] as const;

/** True for the header of an exported, corrected quarantine file. */
export function isFixFileHeader(fields: readonly string[]): boolean {
  const names = fields.map((field) => field.trim().toLowerCase());
  return names.includes('quarantine_id') && names.includes('kind');
}
