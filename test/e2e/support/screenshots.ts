/**
 * Where browser tests save their screenshots. A plain `npm test` writes them under test-results/
 * (ignored by git), so running the tests never rewrites the tracked pictures in docs/screenshots/;
 * `UPDATE_SCREENSHOTS=1 npx playwright test` refreshes those on purpose.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(ROOT, 'docs', 'screenshots')
    : join(ROOT, 'test-results', 'screenshots');

mkdirSync(SCREENSHOTS, { recursive: true });
