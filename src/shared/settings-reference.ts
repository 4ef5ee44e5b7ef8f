/**
 * The settings reference of docs/settings.md, written from settings-fields.ts so the docs never
 * copy its wording by hand: `node scripts/settings-reference.ts --write` rewrites the block between
 * the markers, and test/unit/settings-fields.test.ts fails when the doc is out of date.
 */
import {
  BAND_FIELDS,
  COMPONENT_FIELDS,
  COMPONENT_NOUNS,
  labelWithUnit,
  OUTREACH_FIELDS,
  TRIGGER_FIELDS,
  type FieldDescription,
} from './settings-fields.ts';

export const REFERENCE_START =
  '<!-- settings-reference:start (generated: node scripts/settings-reference.ts --write) -->';
export const REFERENCE_END = '<!-- settings-reference:end -->';

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const row = (path: string, field: FieldDescription) => `| \`${path}\` | ${labelWithUnit(field)} | ${field.help} |`;

function table(title: string, rows: string[]): string {
  return [`### ${title}`, '', '| Setting | Label | Help |', '|---|---|---|', ...rows, ''].join('\n');
}

/** The markdown between the markers: one table per Settings section. */
export function settingsReference(triggerLabel: (id: string) => string = (id) => id): string {
  const health = [
    ...Object.entries(BAND_FIELDS).map(([name, field]) => row(`bands.${name}`, field)),
    ...Object.entries(COMPONENT_FIELDS).flatMap(([id, fields]) =>
      Object.entries(fields).map(([name, field]) =>
        row(`components.${id}.${name}`, {
          ...field,
          label: `${capitalise(COMPONENT_NOUNS[id] ?? id)}: ${field.label}`,
        }),
      ),
    ),
  ];
  const plays = Object.entries(TRIGGER_FIELDS).flatMap(([id, fields]) =>
    Object.entries(fields).map(([name, field]) =>
      row(`triggers.${id}.params.${name}`, { ...field, label: `${triggerLabel(id)}: ${field.label}` }),
    ),
  );
  const outreach = (['fatigue', 'activeHours', 'senders'] as const).flatMap((group) =>
    Object.entries(OUTREACH_FIELDS[group]).map(([name, field]) =>
      row(group === 'senders' ? `senders.<email>.${name}` : `${group}.${name}`, field),
    ),
  );
  return [table('Health score', health), table('Plays', plays), table('Outreach', outreach)].join('\n');
}
