/**
 * What the user can do about a file the importer cannot read, worded for where they are: the CLI has
 * flags (--kind, --mapping), the Sync screen has a "Record kind" menu. The one place that words a
 * remedy; a FileProblem names its remedy and `FileProblem.worded(surface)` writes the sentence.
 */
export type Surface = 'cli' | 'app';

export const REMEDIES = {
  'choose-kind': {
    cli: 'pass --kind accounts, contacts, metrics or events, or a mapping file',
    app: 'choose its kind under "Record kind" and import it again',
  },
  'map-column': {
    cli: 'rename the column or map it with --mapping',
    app: 'rename the column in the file and import it again',
  },
} as const satisfies Record<string, Record<Surface, string>>;

export type Remedy = keyof typeof REMEDIES;
