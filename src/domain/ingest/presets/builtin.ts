/** The built-in presets: one JSON file per vendor export in builtin/ (imported, so bundles carry them). */
import amplitudeEvents from './builtin/amplitude-events.json' with { type: 'json' };
import delightedNps from './builtin/delighted-nps.json' with { type: 'json' };
import hubspotCompanies from './builtin/hubspot-companies.json' with { type: 'json' };
import hubspotContacts from './builtin/hubspot-contacts.json' with { type: 'json' };
import intercomConversations from './builtin/intercom-conversations.json' with { type: 'json' };
import mixpanelEvents from './builtin/mixpanel-events.json' with { type: 'json' };
import posthogEvents from './builtin/posthog-events.json' with { type: 'json' };
import salesforceAccounts from './builtin/salesforce-accounts.json' with { type: 'json' };
import salesforceContacts from './builtin/salesforce-contacts.json' with { type: 'json' };
import segmentEvents from './builtin/segment-events.json' with { type: 'json' };
import stripeChargesSigma from './builtin/stripe-charges-sigma.json' with { type: 'json' };
import stripeInvoices from './builtin/stripe-invoices.json' with { type: 'json' };
import stripePayments from './builtin/stripe-payments.json' with { type: 'json' };
import stripeSubscriptions from './builtin/stripe-subscriptions.json' with { type: 'json' };
import typeformNps from './builtin/typeform-nps.json' with { type: 'json' };
import zendeskTickets from './builtin/zendesk-tickets.json' with { type: 'json' };

export const BUILTIN_PRESET_FILES: readonly unknown[] = [
  amplitudeEvents,
  delightedNps,
  hubspotCompanies,
  hubspotContacts,
  intercomConversations,
  mixpanelEvents,
  posthogEvents,
  salesforceAccounts,
  salesforceContacts,
  segmentEvents,
  stripeChargesSigma,
  stripeInvoices,
  stripePayments,
  stripeSubscriptions,
  typeformNps,
  zendeskTickets,
];
