import type { HubMigration } from './migrate.ts';

/**
 * The firing day of each pushed intervention (treated) or held-out firing (control). The team
 * report groups outcomes into account episodes by the firing month, as the app does
 * (src/domain/interventions/facts.ts, episodeKey), so two laptops' rows of one firing count once
 * and a late touch is not a new episode. Rows pushed before this column fall back to start_on.
 */
export const migration0003: HubMigration = {
  version: 3,
  name: 'intervention-fired-on',
  sql: `
    ALTER TABLE interventions ADD COLUMN fired_on text;
  `,
};
