// `node scripts/settings-reference.ts [--write]`: prints the settings reference of docs/settings.md
// (labels, units and help from src/shared/settings-fields.ts), or rewrites it in place.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TRIGGERS, isTriggerId } from '../src/domain/risk/catalog.ts';
import { REFERENCE_END, REFERENCE_START, settingsReference } from '../src/shared/settings-reference.ts';

const reference = settingsReference((id) => (isTriggerId(id) ? DEFAULT_TRIGGERS[id].label : id));
if (!process.argv.includes('--write')) {
  process.stdout.write(reference);
} else {
  const path = join(import.meta.dirname, '..', 'docs', 'settings.md');
  const doc = readFileSync(path, 'utf8');
  const start = doc.indexOf(REFERENCE_START);
  const end = doc.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error(`${path} has no settings-reference markers.`);
  writeFileSync(path, `${doc.slice(0, start + REFERENCE_START.length)}\n\n${reference}\n${doc.slice(end)}`);
  console.log(`Rewrote the settings reference in ${path}.`);
}
