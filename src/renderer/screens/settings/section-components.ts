/** Each Settings section's editor, by the section's id in sections.ts (a missing one does not compile). */
import type { ComponentType } from 'react';
import { DataSafetySection } from './DataSafetySection.tsx';
import { DesktopPreferencesSection } from './DesktopPreferencesSection.tsx';
import { OutreachSection } from './OutreachSection.tsx';
import { PlaybooksSection } from './PlaybooksSection.tsx';
import { PlaysSection } from './PlaysSection.tsx';
import { RiskScoreSection } from './RiskScoreSection.tsx';
import type { SettingsSectionId } from './sections.ts';
import { SmtpSection } from './SmtpSection.tsx';
import { TemplatesSection } from './TemplatesSection.tsx';

export const sectionComponents: Record<SettingsSectionId, ComponentType> = {
  preferences: DesktopPreferencesSection,
  'data-safety': DataSafetySection,
  'health-score': RiskScoreSection,
  plays: PlaysSection,
  playbooks: PlaybooksSection,
  outreach: OutreachSection,
  templates: TemplatesSection,
  email: SmtpSection,
};
