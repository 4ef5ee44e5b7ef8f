/**
 * A saved column mapping (`foresight import --mapping FILE`): renames columns, ignores columns,
 * sets date formats and a decimal comma, and sets constant values. See docs/sync.md.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserFacingError } from '../errors.ts';
import { compileDateFormat } from './coerce.ts';
import { KINDS } from './fields.ts';

const dateFormat = z
  .string()
  .min(2)
  .max(40)
  .refine((format) => compileDateFormat(format) !== null, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a date format (use tokens such as DD/MM/YYYY or MM-DD-YY HH:mm)`,
  });

export const mappingSchema = z
  .object({
    /** Forces the record kind, like --kind. */
    kind: z.enum(KINDS).optional(),
    /** Source header (exactly as in the file, or in any spelling that normalises the same) → contract field, or null to ignore the column. */
    columns: z.record(z.string(), z.string().min(1).nullable()).default({}),
    /** One format for every date and date-time field… */
    dateFormat: dateFormat.optional(),
    /** …or one per field, e.g. { "renewal_date": "DD/MM/YYYY" }. */
    dateFormats: z.record(z.string(), dateFormat).default({}),
    /** "," when numbers are written 1.234,56. */
    /** Not given: '.', except that a semicolon file refuses numbers grouped in threes (coerce.ts). */
    decimalSeparator: z.enum(['.', ',']).optional(),
    /** Values set on every row, e.g. { "currency": "EUR" }; they win over a column of the same field. */
    constants: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  })
  .strict();

export type Mapping = z.output<typeof mappingSchema>;
export type MappingInput = z.input<typeof mappingSchema>;

export const EMPTY_MAPPING: Mapping = { columns: {}, dateFormats: {}, constants: {} };

export function parseMapping(value: unknown, where = 'the mapping'): Mapping {
  const parsed = mappingSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new UserFacingError(
      'MAPPING_INVALID',
      `${where} is not a valid mapping${path}: ${issue?.message ?? 'unexpected shape'}.`,
    );
  }
  return parsed.data;
}

export function readMappingFile(path: string): Mapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserFacingError(
      'MAPPING_UNREADABLE',
      `Cannot read the mapping file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UserFacingError(
      'MAPPING_INVALID',
      `The mapping file ${path} is not valid JSON (${(error as Error).message}).`,
    );
  }
  return parseMapping(json, `The mapping file ${path}`);
}
