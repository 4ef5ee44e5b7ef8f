import { api } from '../api/client.ts';
import { Link } from '../router/Link.tsx';
import { HOME_PATH } from '../routes.tsx';
import { Chip } from '../ui/Chip.tsx';
import { Tooltip } from '../ui/Tooltip.tsx';
import { JobsIndicator } from './JobsIndicator.tsx';
import { MainNav } from './MainNav.tsx';
import './Sidebar.css';

export function Sidebar({ path }: { path: string }) {
  return (
    <aside className="sidebar">
      <Link to={HOME_PATH} className="sidebar__brand" aria-label="Foresight, go to Today">
        <span className="sidebar__logo" aria-hidden="true" />
        <span className="sidebar__name">Foresight</span>
      </Link>
      <MainNav path={path} />
      <div className="sidebar__footer">
        <JobsIndicator />
        {api.transport === 'http' && (
          <Tooltip
            content="Running in a browser from the local web preview. Native features such as file dialogs are unavailable."
            side="right"
          >
            <span className="sidebar__transport" tabIndex={0}>
              <Chip tone="neutral">Web preview</Chip>
            </span>
          </Tooltip>
        )}
      </div>
    </aside>
  );
}
