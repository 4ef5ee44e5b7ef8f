import { PageHeader } from '../../ui/PageHeader.tsx';
import { settingsSections } from './sections.ts';
import './settings.css';

export function SettingsScreen() {
  return (
    <>
      <PageHeader title="Settings" description="Preferences for this workstation." />
      <div className="settings">
        {settingsSections.map(({ id, title, description, component: Section }) => (
          <section key={id} className="settings__section" aria-labelledby={`settings-${id}`}>
            <header className="settings__section-header">
              <h2 id={`settings-${id}`} className="settings__section-title">
                {title}
              </h2>
              {description && <p className="settings__section-description">{description}</p>}
            </header>
            <Section />
          </section>
        ))}
      </div>
    </>
  );
}
