import type { MouseEvent } from 'react';
import { splitHash, useHash } from '../router/location.ts';
import { Button } from '../ui/Button.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { Spinner } from '../ui/Spinner.tsx';
import { TOKEN_REFUSED } from '../api/connection.ts';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { DemoBanner } from './DemoBanner.tsx';
import { RouteView } from './RouteView.tsx';
import { Sidebar } from './Sidebar.tsx';
import { StatusBar } from './StatusBar.tsx';
import { useAppStatus } from './status-context.ts';
import './AppShell.css';

export function AppShell() {
  const hash = useHash();
  const { path } = splitHash(hash);
  const { status, error, reload } = useAppStatus();

  return (
    <div className="app-shell">
      <a className="app-shell__skip" href="#main-content" onClick={skipToMain}>
        Skip to content
      </a>
      <Sidebar path={path} />
      <div className="app-shell__column">
        <header className="app-shell__header">
          <ConnectionBanner />
          {status?.demo && <DemoBanner onCleared={reload} />}
          {status && <StatusBar status={status} />}
        </header>
        <main id="main-content" className="app-shell__main" tabIndex={-1}>
          {status ? (
            <RouteView hash={hash} />
          ) : error?.code === 'UNAUTHORISED' ? (
            // Trying again with the same token cannot succeed: no button, only what does.
            <EmptyState title={TOKEN_REFUSED.title}>
              <p>{TOKEN_REFUSED.text}</p>
            </EmptyState>
          ) : error ? (
            <EmptyState
              title="Foresight could not load its data"
              action={
                <Button variant="primary" onClick={reload}>
                  Try again
                </Button>
              }
            >
              <p>{error.message}</p>
            </EmptyState>
          ) : (
            <div className="app-shell__loading">
              <Spinner size={18} label="Loading Foresight" />
            </div>
          )}
        </main>
      </div>
    </div>
  );
}

// The skip link cannot use a #fragment: the hash is the router's. Focus <main> directly instead.
function skipToMain(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById('main-content')?.focus();
}
