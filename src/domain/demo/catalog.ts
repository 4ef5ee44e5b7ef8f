/**
 * The fixed facts of the fictional book: segments, plans, markets, the CSM team and the words that
 * appear in event details. Amounts are in US dollars and converted per market.
 */

export type Segment = 'SMB' | 'Mid-Market' | 'Enterprise';

export interface SegmentSpec {
  segment: Segment;
  /** Share of the book. */
  share: number;
  /** Lognormal ARR in USD: median and sigma, kept inside [min, max] by redrawing. */
  arrMedian: number;
  arrSigma: number;
  arrMin: number;
  arrMax: number;
  /** USD per seat per year, a range. */
  seatPrice: readonly [number, number];
  plans: readonly (readonly [string, number])[];
  contacts: readonly [number, number];
  powerUsers: readonly [number, number];
  /** Days between support tickets for a healthy account, a range (the minimum is at least 16). */
  ticketGap: readonly [number, number];
  /** Days between CSM touches, a range (the maximum stays well under 60). */
  touchGap: readonly [number, number];
  /** CSMs (indices into CSM_TEAM) who carry this segment. */
  owners: readonly number[];
}

export const SEGMENTS: readonly SegmentSpec[] = [
  {
    segment: 'SMB',
    share: 0.58,
    arrMedian: 13_000,
    arrSigma: 0.45,
    arrMin: 5_000,
    arrMax: 30_000,
    seatPrice: [360, 600],
    plans: [
      ['Starter', 0.6],
      ['Team', 0.4],
    ],
    contacts: [2, 4],
    powerUsers: [1, 1],
    ticketGap: [30, 70],
    touchGap: [24, 42],
    owners: [3, 4, 5, 6, 7],
  },
  {
    segment: 'Mid-Market',
    share: 0.31,
    arrMedian: 65_000,
    arrSigma: 0.42,
    arrMin: 30_000,
    arrMax: 150_000,
    seatPrice: [400, 700],
    plans: [
      ['Team', 0.25],
      ['Business', 0.75],
    ],
    contacts: [3, 6],
    powerUsers: [2, 2],
    ticketGap: [20, 40],
    touchGap: [14, 30],
    owners: [1, 2, 3, 4, 5, 6],
  },
  {
    segment: 'Enterprise',
    share: 0.11,
    arrMedian: 320_000,
    arrSigma: 0.6,
    arrMin: 150_000,
    arrMax: 1_500_000,
    seatPrice: [450, 900],
    plans: [
      ['Business', 0.2],
      ['Enterprise', 0.8],
    ],
    contacts: [4, 8],
    powerUsers: [2, 3],
    ticketGap: [16, 26],
    touchGap: [7, 16],
    owners: [0, 1, 2],
  },
];

export const PLAN_ORDER = ['Starter', 'Team', 'Business', 'Enterprise'] as const;

/** The CSM team. Enterprise books sit with the first three. */
export const CSM_TEAM = [
  'maya.chen@foresight.example',
  'jordan.reyes@foresight.example',
  'priya.natarajan@foresight.example',
  'liam.obrien@foresight.example',
  'sofia.rossi@foresight.example',
  'david.kim@foresight.example',
  'amara.okafor@foresight.example',
  'lukas.schmidt@foresight.example',
] as const;

export interface Market {
  currency: string;
  /** Multiply a USD amount by this to get the local amount. */
  fx: number;
  locale: string;
  timezone: string;
  /** Hour (UTC) at which the local working day starts; events land in the eight hours after it. */
  workdayStartUtc: number;
}

export const MARKETS: readonly (readonly [Market, number])[] = [
  [{ currency: 'USD', fx: 1, locale: 'en-US', timezone: 'America/New_York', workdayStartUtc: 13 }, 0.25],
  [{ currency: 'USD', fx: 1, locale: 'en-US', timezone: 'America/Chicago', workdayStartUtc: 14 }, 0.17],
  [{ currency: 'USD', fx: 1, locale: 'en-US', timezone: 'America/Denver', workdayStartUtc: 15 }, 0.08],
  [{ currency: 'USD', fx: 1, locale: 'en-US', timezone: 'America/Los_Angeles', workdayStartUtc: 16 }, 0.2],
  [{ currency: 'USD', fx: 1, locale: 'es-US', timezone: 'America/Phoenix', workdayStartUtc: 15 }, 0.02],
  [{ currency: 'EUR', fx: 0.92, locale: 'de-DE', timezone: 'Europe/Berlin', workdayStartUtc: 7 }, 0.05],
  [{ currency: 'EUR', fx: 0.92, locale: 'fr-FR', timezone: 'Europe/Paris', workdayStartUtc: 7 }, 0.035],
  [{ currency: 'EUR', fx: 0.92, locale: 'nl-NL', timezone: 'Europe/Amsterdam', workdayStartUtc: 7 }, 0.025],
  [{ currency: 'EUR', fx: 0.92, locale: 'es-ES', timezone: 'Europe/Madrid', workdayStartUtc: 7 }, 0.02],
  [{ currency: 'EUR', fx: 0.92, locale: 'en-IE', timezone: 'Europe/Dublin', workdayStartUtc: 8 }, 0.01],
  [{ currency: 'GBP', fx: 0.79, locale: 'en-GB', timezone: 'Europe/London', workdayStartUtc: 8 }, 0.09],
  [{ currency: 'CAD', fx: 1.36, locale: 'en-CA', timezone: 'America/Toronto', workdayStartUtc: 13 }, 0.025],
  [{ currency: 'AUD', fx: 1.52, locale: 'en-AU', timezone: 'Australia/Sydney', workdayStartUtc: 22 }, 0.015],
];

export const TICKET_SUBJECTS = [
  'SSO login loop',
  'CSV export times out',
  'Invoice address change',
  'Webhook retries failing',
  'Dashboard filters reset',
  'Permission error for new admin',
  'API rate limit question',
  'Slow report generation',
  'Data sync missing records',
  'Mobile app crash on launch',
  'Password reset email not received',
  'Integration token expired',
  'Duplicate contacts after import',
  'Question about audit log retention',
  'Timezone shown incorrectly',
] as const;

export const SURGE_SUBJECTS = [
  'Outage: workspace unavailable',
  'Data sync stopped',
  'Reports show wrong totals',
  'Users locked out after SSO change',
  'API returning 500 errors',
  'Exports failing for all users',
  'Pages loading very slowly',
] as const;

export const TOUCH_KINDS = [
  'Check-in call',
  'QBR',
  'Email follow-up',
  'Roadmap preview',
  'Training session',
  'Success plan review',
] as const;

export const PAYMENT_FAILURES = [
  'Card declined (insufficient funds)',
  'Card expired',
  'Bank transfer returned',
  'Card declined (do not honor)',
] as const;

/** Why a customer's data sync or integration failed, as the feed reports it. */
export const SYNC_FAILURES = [
  'CRM connector: token expired',
  'Warehouse export: permission denied',
  'Calendar sync: rate limited',
  'SSO directory sync: certificate expired',
] as const;

/** How a large customer's invoice payments fail once it has decided to leave. */
export const WITHHELD_PAYMENTS = [
  'Direct debit mandate cancelled',
  'Bank transfer returned',
  'ACH debit returned (authorization revoked)',
] as const;

export const CHURN_REASONS = [
  'Moved to a competitor',
  'Budget cut',
  'Low adoption',
  'Champion left; no new sponsor',
  'Product gaps',
  'Reliability concerns',
] as const;

export const SURPRISE_CHURN_REASONS = [
  "Acquired; consolidated onto the parent company's tooling",
  'Company wound down',
  'Procurement mandate to switch vendor',
] as const;
