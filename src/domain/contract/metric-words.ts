/**
 * A metric's name in the words a sentence for the CSM uses ("seats in use", not `seats_used`):
 * the standard metrics have theirs; a custom metric reads with spaces for underscores. Used by the
 * explanations that name a metric (trigger evidence, intervention outcomes).
 */
import type { STANDARD_METRICS } from './records.ts';

const WORDS: Record<(typeof STANDARD_METRICS)[number], string> = {
  active_users: 'active users',
  seats_used: 'seats in use',
  logins: 'logins',
  core_feature_uses: 'core feature uses',
  usage: 'usage',
  latency_ms: 'response time (ms)',
  api_errors: 'API errors',
};

export function metricWords(metric: string): string {
  return (WORDS as Record<string, string>)[metric] ?? metric.replaceAll('_', ' ');
}
