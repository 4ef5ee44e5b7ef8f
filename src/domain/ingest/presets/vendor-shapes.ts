/**
 * A book written out as the vendor exports the presets read (HubSpot companies, Stripe payments,
 * Zendesk tickets, a Mixpanel event log), so a round trip through the presets can be tested at any
 * scale: `node scripts/demo-vendor-export.ts`, and test/unit/ingest-presets-roundtrip.test.ts.
 * Every daily `active_users` value becomes that many distinct users' events that day.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { AccountRecord, ContactRecord, EventRecord, MetricRecord } from '../../contract/records.ts';

export interface BookBundle {
  account: AccountRecord;
  contacts: readonly ContactRecord[];
  metrics: readonly MetricRecord[];
  events: readonly EventRecord[];
}

export const VENDOR_SHAPE_FILES = {
  companies: 'hubspot-companies.csv',
  payments: 'stripe-payments.csv',
  tickets: 'zendesk-tickets.csv',
  events: 'mixpanel-events.csv',
} as const;

function csvWriter(path: string, header: string[]) {
  const fd = openSync(path, 'w');
  let buffer = Papa.unparse([header]) + '\r\n';
  const flush = () => {
    writeSync(fd, buffer);
    buffer = '';
  };
  return {
    row(cells: (string | number)[]) {
      buffer += Papa.unparse([cells.map(String)]) + '\r\n';
      if (buffer.length > 1 << 20) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}

/** A company domain no free-mail provider owns: the one its contacts' addresses share, else one from its id. */
export function companyDomain(bundle: BookBundle): string {
  const counts = new Map<string, number>();
  for (const c of bundle.contacts) {
    const domain = c.email?.split('@')[1]?.toLowerCase();
    if (domain) counts.set(domain, (counts.get(domain) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return best ?? `${bundle.account.account_id.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example`;
}

const stripeTime = (instant: string) => instant.slice(0, 19).replace('T', ' ');
const epochSeconds = (day: string, second: number) => Date.parse(`${day}T00:00:00Z`) / 1000 + 9 * 3600 + second;

export function writeVendorShapes(
  bundles: Iterable<BookBundle>,
  dir: string,
): Record<keyof typeof VENDOR_SHAPE_FILES, number> {
  const companies = csvWriter(join(dir, VENDOR_SHAPE_FILES.companies), [
    'Record ID',
    'Company name',
    'Company Domain Name',
    'Company owner',
    'Annual recurring revenue',
    'Company currency',
    'Create Date',
  ]);
  const payments = csvWriter(join(dir, VENDOR_SHAPE_FILES.payments), [
    'id',
    'Created (UTC)',
    'Amount',
    'Currency',
    'Status',
    'Customer ID',
    'Customer Email',
    'Customer Description',
    'Seller Message',
  ]);
  const tickets = csvWriter(join(dir, VENDOR_SHAPE_FILES.tickets), [
    'Id',
    'Requester',
    'Requester email',
    'Requester domain',
    'Organization',
    'Subject',
    'Priority',
    'Created at',
  ]);
  const events = csvWriter(join(dir, VENDOR_SHAPE_FILES.events), ['event', 'time', 'distinct_id', 'company_id']);
  const counts = { companies: 0, payments: 0, tickets: 0, events: 0 };
  let ticketId = 1000;
  for (const bundle of bundles) {
    const { account } = bundle;
    const domain = companyDomain(bundle);
    companies.row([
      account.account_id,
      account.name,
      domain,
      account.owner_email ?? '',
      account.arr,
      account.currency,
      account.created_at ?? '',
    ]);
    counts.companies++;
    const customer = `cus_${createHash('sha256').update(account.account_id).digest('hex').slice(0, 14)}`;
    for (const event of bundle.events) {
      if (event.type === 'payment_failed' || event.type === 'payment_succeeded') {
        const status = event.type === 'payment_failed' ? 'Failed' : 'Paid';
        payments.row([
          event.event_id,
          stripeTime(event.occurred_at),
          event.value ?? 0,
          account.currency.toLowerCase(),
          status,
          customer,
          `billing@${domain}`,
          account.name,
          event.detail ?? '',
        ]);
        counts.payments++;
      } else if (event.type === 'ticket_opened') {
        tickets.row([
          ++ticketId,
          'Requester',
          `support@${domain}`,
          domain,
          account.name,
          event.detail ?? 'Question',
          'normal',
          event.occurred_at.slice(0, 16).replace('T', ' '),
        ]);
        counts.tickets++;
      }
    }
    for (const metric of bundle.metrics) {
      if (metric.metric !== 'active_users' || metric.contact_id) continue;
      for (let user = 0; user < Math.round(metric.value); user++) {
        events.row(['Dashboard Viewed', epochSeconds(metric.date, user), `user${user}@${domain}`, account.account_id]);
        counts.events++;
      }
    }
  }
  for (const file of [companies, payments, tickets, events]) file.close();
  return counts;
}
