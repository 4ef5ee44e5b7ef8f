/**
 * The one vocabulary for event types in words: a title for lists ("Payment failed"), a phrase for
 * sentences ("a successful payment"), and whether the event's value is money in the account's
 * currency (so screens format it with Intl instead of printing "77400").
 */
export interface EventLabel {
  title: string;
  phrase: string;
  money?: true;
}

export const EVENT_LABELS: Readonly<Record<string, EventLabel>> = {
  setup_completed: { title: 'Setup completed', phrase: 'setup to be completed' },
  onboarding_completed: { title: 'Onboarding completed', phrase: 'onboarding to be completed' },
  payment_failed: { title: 'Payment failed', phrase: 'a failed payment', money: true },
  payment_succeeded: { title: 'Payment succeeded', phrase: 'a successful payment', money: true },
  ticket_opened: { title: 'Ticket opened', phrase: 'a new ticket' },
  ticket_closed: { title: 'Ticket closed', phrase: 'a closed ticket' },
  ticket_escalated: { title: 'Ticket escalated', phrase: 'an escalated ticket' },
  nps_response: { title: 'NPS response', phrase: 'an NPS answer' },
  champion_left: { title: 'Champion left', phrase: 'the champion leaving' },
  champion_assigned: { title: 'Champion assigned', phrase: 'a new champion' },
  plan_upgraded: { title: 'Plan upgraded', phrase: 'a plan upgrade', money: true },
  plan_downgraded: { title: 'Plan downgraded', phrase: 'a plan downgrade', money: true },
  renewed: { title: 'Renewed', phrase: 'a renewal', money: true },
  churned: { title: 'Churned', phrase: 'churn', money: true },
  csm_touch: { title: 'CSM touch', phrase: 'a CSM touch' },
};

/** "Payment failed"; an unknown (imported) type reads as its words: "trial_extended" → "trial extended". */
export function eventTitle(type: string): string {
  return EVENT_LABELS[type]?.title ?? type.replace(/_/g, ' ');
}

/** For a sentence: "Waiting for a successful payment", "No renewal by …". */
export function eventPhrase(type: string): string {
  return EVENT_LABELS[type]?.phrase ?? type.replace(/_/g, ' ');
}

/** True when the event's value is an amount of money in the account's currency. */
export function isMoneyEvent(type: string): boolean {
  return EVENT_LABELS[type]?.money === true;
}
