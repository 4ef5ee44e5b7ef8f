import { useEffect } from 'react';
import { findRoute } from '../router/match.ts';
import { navigate, splitHash } from '../router/location.ts';
import { HOME_PATH, routes } from '../routes.tsx';
import { NotFoundScreen } from '../screens/NotFoundScreen.tsx';
import { EmptyBook } from './EmptyBook.tsx';
import { isEmptyBook, useAppStatus } from './status-context.ts';
import { useRouteFocus } from './useRouteFocus.ts';

/** Renders the screen registered for the current hash (see routes.tsx). */
export function RouteView({ hash }: { hash: string }) {
  const { path, query } = splitHash(hash);
  const match = findRoute(routes, path);
  const { status, reload } = useAppStatus();

  useEffect(() => {
    if (path === '/') navigate(HOME_PATH, { replace: true });
  }, [path]);
  useRouteFocus(path, match?.route.title ?? 'Foresight');

  if (path === '/') return null;
  if (!match) return <NotFoundScreen params={{}} query={query} path={path} />;
  const { route, params } = match;
  if (route.needsData && status && isEmptyBook(status)) return <EmptyBook title={route.title} onLoaded={reload} />;
  const Screen = route.component;
  // Keyed by path so moving between two records of the same screen starts with fresh state.
  return <Screen key={path} params={params} query={query} path={path} />;
}
