/**
 * The default playbook of every trigger, keyed by trigger id: the one home of these defaults (a
 * user's edit in Settings → Playbooks overrides a trigger's list whole; see config.ts). Steps are
 * ordered; `offsetDays` counts from the day the risk item opened. Tier 1 hands a fix or an
 * in-product message to the product, tier 2 sends the trigger's built-in email on approval, tier 3
 * is a call or meeting for a person. The type makes a trigger without a playbook a compile error.
 */
import type { TriggerId } from '../risk/catalog.ts';
import { builtinTemplateId } from '../outreach/builtin-templates.ts';
import { ACCOUNT_OWNER, type PlaybookStep } from '../../shared/dto/playbooks.ts';

const selfHeal = (title: string, offsetDays = 0, owner = ACCOUNT_OWNER): PlaybookStep => ({
  tier: 1,
  title,
  offsetDays,
  owner,
  templateId: null,
  autoSend: false,
});
const email = (trigger: TriggerId, title: string, offsetDays: number): PlaybookStep => ({
  tier: 2,
  title,
  offsetDays,
  owner: ACCOUNT_OWNER,
  templateId: builtinTemplateId(trigger, 'email'),
  autoSend: false,
});
const human = (title: string, offsetDays: number, owner = ACCOUNT_OWNER): PlaybookStep => ({
  tier: 3,
  title,
  offsetDays,
  owner,
  templateId: null,
  autoSend: false,
});

export const DEFAULT_PLAYBOOKS: Record<TriggerId, readonly PlaybookStep[]> = {
  payment_failing: [
    selfHeal('Show an in-app banner asking to update the card', 0),
    email('payment_failing', 'Email the billing contact about the failed payment', 1),
    human('Call the billing contact', 5),
  ],
  usage_drop: [
    selfHeal('Show an in-app tip for the features they used most', 0),
    email('usage_drop', 'Email the champion about the drop in usage', 2),
    human('Book a usage review call', 7),
  ],
  seat_drop: [
    email('seat_drop', 'Email the champion about the seats that went quiet', 1),
    human('Call the champion about team changes', 5),
  ],
  seat_underuse: [
    selfHeal('Send in-app invitations to the unused seats', 0),
    email('seat_underuse', 'Email the admin about unused seats', 3),
    human('Offer an onboarding session for new users', 10),
  ],
  champion_left: [
    email('champion_left', 'Email the remaining contacts to find a new champion', 1),
    human('Meet the new champion', 7),
  ],
  detractor: [
    human('Call the detractor to hear the complaint', 2),
    email('detractor', 'Follow up in writing on what was agreed', 4),
  ],
  silent_churn: [email('silent_churn', 'Email the champion to check in', 0), human('Call the champion', 5)],
  support_surge: [
    human('Review the open tickets with support', 1, 'Support lead'),
    email('support_surge', 'Email the champion about the support issues', 2),
    human('Call the champion once the tickets are closed', 10),
  ],
  integration_failing: [
    selfHeal('Show an in-app message to reconnect the integration', 0),
    email('integration_failing', 'Email the admin with the reconnection steps', 2),
    human('Call the admin to fix the integration together', 7, 'Solutions engineer'),
  ],
  performance_degradation: [
    selfHeal('Hand the slow pages to engineering', 0, 'Support lead'),
    email('performance_degradation', 'Email the champion about the slowdown and the fix', 2),
  ],
  onboarding_stalled: [
    selfHeal('Show the in-app onboarding checklist again', 0),
    email('onboarding_stalled', 'Email the admin the next onboarding step', 2),
    human('Book an onboarding call', 7),
  ],
  setup_incomplete: [
    selfHeal('Show an in-app prompt for the missing setup step', 0),
    email('setup_incomplete', 'Email the admin about the missing setup step', 3),
    human('Call the admin to finish setup', 10),
  ],
  renewal_at_risk: [
    human('Prepare the renewal review', 2),
    email('renewal_at_risk', 'Email the champion to book the renewal review', 3),
    human('Hold the renewal meeting with the decision maker', 14),
  ],
  power_user_dormant: [
    email('power_user_dormant', 'Email the power user to check in', 1),
    human('Call the power user', 7),
  ],
  approaching_limit: [
    selfHeal('Show an in-app notice about the plan limit', 0),
    email('approaching_limit', 'Email the admin about the plan options', 2),
    human('Call about an upgrade', 7),
  ],
  milestone_reached: [
    email('milestone_reached', 'Email congratulations on the milestone', 0),
    human('Ask for a case study or a reference', 14),
  ],
};
