import { Button } from '../../ui/Button.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { scrollToStart } from '../../ui/scroll.ts';
import { sectionComponents } from './section-components.ts';
import { settingsSections } from './sections.ts';
import './settings.css';

/** Brings a section into view and moves focus to its heading, so keyboard users land there too. */
function jumpTo(id: string): void {
  const heading = document.getElementById(`settings-${id}`);
  if (!heading) return;
  heading.setAttribute('tabindex', '-1');
  scrollToStart(heading);
  heading.focus({ preventScroll: true });
}

export function SettingsScreen() {
  return (
    <>
      <PageHeader title="Settings" description="Preferences for this workstation." />
      <div className="settings">
        <nav aria-label="Settings sections">
          <ul className="settings__toc">
            {settingsSections.map(({ id, title }) => (
              <li key={id}>
                {/* The hash is the router's, so jump by scrolling rather than by an anchor. */}
                <Button variant="ghost" size="sm" onClick={() => jumpTo(id)}>
                  {title}
                </Button>
              </li>
            ))}
          </ul>
        </nav>
        {settingsSections.map(({ id, title, description }) => {
          const Section = sectionComponents[id];
          return (
            <section key={id} className="settings__section" aria-labelledby={`settings-${id}`}>
              <header className="settings__section-header">
                <h2 id={`settings-${id}`} className="settings__section-title">
                  {title}
                </h2>
                {description && <p className="settings__section-description">{description}</p>}
              </header>
              <Section />
            </section>
          );
        })}
      </div>
    </>
  );
}
