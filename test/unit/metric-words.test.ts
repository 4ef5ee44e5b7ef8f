import { expect, it } from 'vitest';
import { metricWords } from '../../src/domain/contract/metric-words.ts';
import { STANDARD_METRICS } from '../../src/domain/contract/records.ts';

it('names every standard metric in words, and a custom one without underscores', () => {
  for (const metric of STANDARD_METRICS) expect(metricWords(metric)).not.toMatch(/_/);
  expect(metricWords('seats_used')).toBe('seats in use');
  expect(metricWords('weekly_reports_sent')).toBe('weekly reports sent');
});
