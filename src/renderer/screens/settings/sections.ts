/**
 * The Settings screen's sections, in order, and their names: the one place other screens take a
 * section's name from ("Settings → Email (SMTP)", `settingsPlace('email')`), so a pointer to a
 * setting cannot name the wrong section. Data only, so the composer and other chunks can import it
 * without the settings editors; each section's component is in section-components.ts. To add one:
 * append it here and give it its component there.
 */

export interface SettingsSection {
  id: string;
  title: string;
  /** One line under the heading. */
  description?: string;
}

export const settingsSections = [
  {
    id: 'preferences',
    title: 'Preferences',
    description: 'Appearance, your accounts, background sync, notifications and links.',
  },
  {
    id: 'data-safety',
    title: 'Data safety',
    description: 'Backups of the local database, and restoring one.',
  },
  {
    id: 'health-score',
    title: 'Health score',
    description:
      'How well the score predicts churn, and its weights, thresholds and bands (versioned, with per-segment overrides).',
  },
  {
    id: 'plays',
    title: 'Plays',
    description: 'When each play opens a risk item: turn plays on or off and set their thresholds.',
  },
  {
    id: 'playbooks',
    title: 'Playbooks',
    description: "Each play's steps, in three tiers, with due days and owners.",
  },
  {
    id: 'outreach',
    title: 'Outreach',
    description: 'How often an account may hear from you, when messages go out, and how you sign them.',
  },
  {
    id: 'templates',
    title: 'Templates',
    description:
      'Outreach templates: preview them for any account, check them benefit-first, and edit your own copies.',
  },
  {
    id: 'email',
    title: 'Email (SMTP)',
    description: 'Your own mail server for sending outreach from Foresight; sent mail is logged as a touch.',
  },
] as const satisfies readonly SettingsSection[];

export type SettingsSectionId = (typeof settingsSections)[number]['id'];

/** Where a setting is, in the words of the screen: "Settings → Email (SMTP)". */
export function settingsPlace(id: SettingsSectionId): string {
  return `Settings → ${settingsSections.find((s) => s.id === id)!.title}`;
}
