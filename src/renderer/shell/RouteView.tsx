import { useEffect, useState } from 'react';
import { findRoute } from '../router/match.ts';
import { navigate, splitHash } from '../router/location.ts';
import { HOME_PATH, routes } from '../routes.tsx';
import { NotFoundScreen } from '../screens/NotFoundScreen.tsx';
import { EmptyBook } from './EmptyBook.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { Button } from '../ui/Button.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { Spinner } from '../ui/Spinner.tsx';
import { isEmptyBook, useAppStatus } from './status-context.ts';
import { useRouteFocus } from './useRouteFocus.ts';

/** Renders the screen registered for the current hash (see routes.tsx). */
export function RouteView({ hash }: { hash: string }) {
  const { path, query } = splitHash(hash);
  const match = findRoute(routes, path);
  const { status, reload } = useAppStatus();
  // Screens are chunks of their own (routes.tsx); this re-renders once the one needed has loaded.
  const screen = match?.route.screen ?? null;
  const [, setLoaded] = useState<unknown>(null);
  const [loadError, setLoadError] = useState<{ screen: unknown; error: unknown } | null>(null);
  useEffect(() => {
    if (!screen || screen.component) return;
    let current = true;
    screen.load().then(
      (component) => current && setLoaded(() => component),
      (error: unknown) => current && setLoadError({ screen, error }),
    );
    return () => {
      current = false;
    };
  }, [screen]);

  useEffect(() => {
    if (path === '/') navigate(HOME_PATH, { replace: true });
  }, [path]);
  useRouteFocus(path, match?.route.title ?? 'Foresight');

  if (path === '/') return null;
  if (!match) return <NotFoundScreen params={{}} query={query} path={path} />;
  const { route, params } = match;
  if (route.needsData && status && isEmptyBook(status)) return <EmptyBook title={route.title} onLoaded={reload} />;
  const Screen = route.screen.component;
  if (!Screen) {
    if (loadError && loadError.screen === route.screen) {
      return (
        <EmptyState
          title={`${route.title} could not be loaded`}
          action={<Button onClick={() => window.location.reload()}>Reload</Button>}
        >
          {/* The screen's code could not be fetched: in the web preview, the server stopped or
              restarted ("Unable to preload CSS for …" said nothing a user could act on). */}
          <p>The connection to Foresight was lost while opening this screen. Is the web preview still running?</p>
        </EmptyState>
      );
    }
    return (
      <div className="app-shell__loading">
        <Spinner size={18} label={`Loading ${route.title}`} />
      </div>
    );
  }
  // Keyed by path so moving between two records of the same screen starts with fresh state (and a
  // screen that crashed is tried again); a crash leaves the sidebar working.
  return (
    <ErrorBoundary key={path} area={`The ${route.title} screen`}>
      <Screen params={params} query={query} path={path} />
    </ErrorBoundary>
  );
}
