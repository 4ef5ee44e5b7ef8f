/**
 * `node scripts/demo-vendor-export.ts [--accounts N] [--days D] [--as-of YYYY-MM-DD] --out DIR`:
 * writes a demo book as the vendor exports the presets read (hubspot-companies.csv,
 * stripe-payments.csv, zendesk-tickets.csv, mixpanel-events.csv), for a round trip at scale:
 *
 *     node scripts/demo-vendor-export.ts --accounts 2000 --out /tmp/shapes
 *     foresight import /tmp/shapes/*.csv --db /tmp/roundtrip.db
 */
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateDemoBook } from '../src/domain/demo/generate.ts';
import { writeVendorShapes } from '../src/domain/ingest/presets/vendor-shapes.ts';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '400' },
    days: { type: 'string', default: '120' },
    'as-of': { type: 'string' },
    out: { type: 'string' },
  },
});
if (!values.out) {
  console.error('Say where to write the files with --out DIR.');
  process.exit(2);
}
mkdirSync(values.out, { recursive: true });
const counts = writeVendorShapes(
  generateDemoBook({
    accounts: Number(values.accounts),
    days: Number(values.days),
    ...(values['as-of'] ? { asOf: values['as-of'] } : {}),
  }),
  values.out,
);
console.log(
  `Wrote ${counts.companies} companies, ${counts.payments} payments, ${counts.tickets} tickets and ${counts.events} product events to ${values.out}.`,
);
