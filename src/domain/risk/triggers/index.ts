/**
 * The trigger list: every trigger the engine evaluates, in the order checks run and the catalog
 * lists them. Adding a trigger is one module in this folder, its test, and one line here.
 */
import { approachingLimit } from './approaching-limit.ts';
import { championLeft } from './champion-left.ts';
import type { TriggerModule } from './define.ts';
import { detractor } from './detractor.ts';
import { integrationFailing } from './integration-failing.ts';
import { milestoneReached } from './milestone-reached.ts';
import { onboardingStalled } from './onboarding-stalled.ts';
import { paymentFailing } from './payment-failing.ts';
import { performanceDegradation } from './performance-degradation.ts';
import { powerUserDormant } from './power-user-dormant.ts';
import { renewalAtRisk } from './renewal-at-risk.ts';
import { seatDrop } from './seat-drop.ts';
import { seatUnderuse } from './seat-underuse.ts';
import { setupIncomplete } from './setup-incomplete.ts';
import { silentChurn } from './silent-churn.ts';
import { supportSurge } from './support-surge.ts';
import { usageDrop } from './usage-drop.ts';

export const TRIGGER_MODULES = [
  setupIncomplete,
  onboardingStalled,
  paymentFailing,
  powerUserDormant,
  usageDrop,
  seatDrop,
  seatUnderuse,
  approachingLimit,
  renewalAtRisk,
  championLeft,
  supportSurge,
  detractor,
  silentChurn,
  performanceDegradation,
  integrationFailing,
  milestoneReached,
] as const satisfies readonly TriggerModule[];
