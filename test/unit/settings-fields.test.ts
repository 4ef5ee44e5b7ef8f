/**
 * Settings in words: every setting a person edits has a label, a unit and a line of help in
 * src/shared/settings-fields.ts (and nothing stale lingers there), and validation problems read as
 * sentences naming the field (src/shared/settings-issues.ts), through the real schemas.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { DEFAULT_TRIGGERS, TRIGGER_IDS } from '../../src/domain/risk/catalog.ts';
import { completeConfig, DEFAULT_SCORE_CONFIG } from '../../src/domain/risk/config.ts';
import { configRepo } from '../../src/domain/risk/config-repo.ts';
import { DEFAULT_OUTREACH_SETTINGS, saveOutreachSettings, senderSchema } from '../../src/domain/outreach/settings.ts';
import {
  BAND_FIELDS,
  COMPONENT_FIELDS,
  labelWithUnit,
  OUTREACH_FIELDS,
  TRIGGER_FIELDS,
} from '../../src/shared/settings-fields.ts';
import { issueSentence } from '../../src/shared/settings-issues.ts';
import { REFERENCE_END, REFERENCE_START, settingsReference } from '../../src/shared/settings-reference.ts';
import { tempDb } from '../support/temp.ts';

const keys = (o: object) => Object.keys(o).sort();
const label = (id: string) => DEFAULT_TRIGGERS[id as keyof typeof DEFAULT_TRIGGERS]?.label;

/** The sentence for the first problem completeConfig finds in `input`. */
function configSentence(input: unknown): string {
  try {
    completeConfig(input);
  } catch (error) {
    if (error instanceof ZodError) return issueSentence(error.issues[0]!, label);
    throw error;
  }
  throw new Error('The configuration was accepted.');
}

describe('every setting has words', () => {
  it('covers each score component parameter and the bands, and nothing else', () => {
    expect(keys(COMPONENT_FIELDS)).toEqual(keys(DEFAULT_SCORE_CONFIG.components));
    for (const [id, params] of Object.entries(DEFAULT_SCORE_CONFIG.components))
      expect([id, keys(COMPONENT_FIELDS[id]!)]).toEqual([id, keys(params)]);
    expect(keys(BAND_FIELDS)).toEqual(keys(DEFAULT_SCORE_CONFIG.bands));
  });

  it('covers each play parameter of each trigger module, and nothing else', () => {
    expect(keys(TRIGGER_FIELDS)).toEqual([...TRIGGER_IDS].sort());
    for (const id of TRIGGER_IDS)
      expect([id, keys(TRIGGER_FIELDS[id]!)]).toEqual([id, keys(DEFAULT_TRIGGERS[id].params)]);
  });

  it('covers the outreach settings that have a form', () => {
    expect(keys(OUTREACH_FIELDS.fatigue)).toEqual(keys(DEFAULT_OUTREACH_SETTINGS.fatigue));
    expect(keys(OUTREACH_FIELDS.activeHours)).toEqual(keys(DEFAULT_OUTREACH_SETTINGS.activeHours));
    expect(keys(OUTREACH_FIELDS.senders)).toEqual([...keys(senderSchema.shape), 'email'].sort());
  });

  it('docs/settings.md holds the reference as generated (node scripts/settings-reference.ts --write)', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'settings.md'), 'utf8');
    const block = doc.slice(doc.indexOf(REFERENCE_START) + REFERENCE_START.length, doc.indexOf(REFERENCE_END));
    expect(block.trim()).toBe(settingsReference((id) => label(id) ?? id).trim());
  });

  it('labels carry their unit and help is one line', () => {
    expect(labelWithUnit(TRIGGER_FIELDS.usage_drop!.recentDays!)).toBe('Recent window (days)');
    expect(labelWithUnit(TRIGGER_FIELDS.usage_drop!.maxShare!)).toBe('Firing level (0–1, 0.7 = 70%)');
    const all = [COMPONENT_FIELDS, TRIGGER_FIELDS, OUTREACH_FIELDS].flatMap((group) =>
      Object.values(group).flatMap((fields) => Object.values(fields)),
    );
    for (const field of [...all, ...Object.values(BAND_FIELDS)]) {
      expect(field.label).toMatch(/^[A-Z][^_]*$/);
      expect(field.help).toMatch(/^[A-Z…][^\n_]*[.…]$/);
      expect(field.help.length).toBeLessThanOrEqual(100);
    }
  });
});

describe('validation messages are sentences', () => {
  it('names the field in words for the score configuration', () => {
    expect(configSentence({ components: { usage_trend: { weight: -1 } } })).toBe(
      "The usage trend weight can't be negative.",
    );
    expect(configSentence({ triggers: { usage_drop: { params: { recentDays: 0 } } } })).toBe(
      'The “Usage drop” play’s recent window must be at least 1 day.',
    );
    expect(configSentence({ triggers: { detractor: { params: { windowDays: 2.5 } } } })).toBe(
      'The “Detractor” play’s answer window must be a whole number of days.',
    );
    expect(configSentence({ bands: { redBelow: 120 } })).toBe("The “Red below” limit can't be more than 100 points.");
    expect(configSentence({ components: { billing: { penaltyPerFailure: 101 } } })).toBe(
      "The billing penalty per failed payment can't be more than 100 points.",
    );
    expect(configSentence({ segments: { Enterprise: { components: { support: { zeroAtMultiple: -2 } } } } })).toBe(
      "The support ticket level that scores 0 for the Enterprise segment can't be negative.",
    );
    expect(configSentence({ bands: { redBelow: 80, greenFrom: 70 } })).toBe(
      'Red must end at or below where green starts.',
    );
  });

  it('is what saving a configuration or outreach settings answers, with nothing saved', () => {
    const { db } = tempDb();
    const now = new Date('2026-03-10T12:00:00Z');
    expect(() => configRepo(db).save({ components: { usage_trend: { weight: -5 } } }, null, now.toISOString())).toThrow(
      /^The usage trend weight can't be negative\. Nothing was saved\.$/,
    );
    expect(() => saveOutreachSettings(db, { fatigue: { maxTouches: 0 } }, now)).toThrow(
      /^The number of proactive touches allowed must be at least 1\. Nothing was saved\.$/,
    );
    expect(() => saveOutreachSettings(db, { activeHours: { start: '9am' } }, now)).toThrow(
      /^The working hours start must be a time such as 09:00\. Nothing was saved\.$/,
    );
    expect(() => saveOutreachSettings(db, { activeHours: { weekdays: [] } }, now)).toThrow(
      /^The list of working days needs at least one choice\. Nothing was saved\.$/,
    );
    expect(() => saveOutreachSettings(db, { senders: { 'maya@example.com': { bookingLink: 'cal' } } }, now)).toThrow(
      /^The sender’s booking link must be a web address starting with https:\/\/\. Nothing was saved\.$/,
    );
    expect(() => saveOutreachSettings(db, { senders: { 'maya at example': { name: 'Maya' } } }, now)).toThrow(
      /^The sender’s email address must be an email address such as maya@example\.com\. Nothing was saved\.$/,
    );
  });
});
