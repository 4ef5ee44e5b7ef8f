/**
 * The Settings screen is a list of sections, each owned by the capability it configures. To add
 * one: write a component in this folder and append it here.
 */
import type { ComponentType } from 'react';
import { DataSafetySection } from './DataSafetySection.tsx';
import { DesktopPreferencesSection } from './DesktopPreferencesSection.tsx';
import { TemplatesSection } from './TemplatesSection.tsx';
import { RiskScoreSection } from './RiskScoreSection.tsx';
import { SmtpSection } from './SmtpSection.tsx';
import { PlaybooksSection } from './PlaybooksSection.tsx';
import { OutreachSection } from './OutreachSection.tsx';
import { PlaysSection } from './PlaysSection.tsx';

export interface SettingsSection {
  id: string;
  title: string;
  /** One line under the heading. */
  description?: string;
  component: ComponentType;
}

export const settingsSections: SettingsSection[] = [
  {
    id: 'preferences',
    title: 'Preferences',
    description: 'Appearance, your accounts, background sync, notifications and links.',
    component: DesktopPreferencesSection,
  },
  {
    id: 'data-safety',
    title: 'Data safety',
    description: 'Backups of the local database, and restoring one.',
    component: DataSafetySection,
  },
  {
    id: 'health-score',
    title: 'Health score',
    description:
      'How well the score predicts churn, and its weights, thresholds and bands (versioned, with per-segment overrides).',
    component: RiskScoreSection,
  },
  {
    id: 'plays',
    title: 'Plays',
    description: 'When each play opens a risk item: turn plays on or off and set their thresholds.',
    component: PlaysSection,
  },
  {
    id: 'playbooks',
    title: 'Playbooks',
    description: "Each play's steps, in three tiers, with due days and owners.",
    component: PlaybooksSection,
  },
  {
    id: 'outreach',
    title: 'Outreach',
    description: 'How often an account may hear from you, when messages go out, and how you sign them.',
    component: OutreachSection,
  },
  {
    id: 'templates',
    title: 'Templates',
    description:
      'Outreach templates: preview them for any account, check them benefit-first, and edit your own copies.',
    component: TemplatesSection,
  },
  {
    id: 'email',
    title: 'Email (SMTP)',
    description: 'Your own mail server for sending outreach from Foresight; sent mail is logged as a touch.',
    component: SmtpSection,
  },
];
