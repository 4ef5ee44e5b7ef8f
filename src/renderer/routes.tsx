/**
 * Every screen is registered here, once. Order matters twice: the first matching pattern wins,
 * and entries with `nav` appear in the sidebar in this order.
 *
 * To add a screen: write screens/<area>/<Name>Screen.tsx taking ScreenProps, add a row below.
 * Parameterised paths use ":name" segments; the values arrive in props.params, already decoded.
 */
import type { ComponentType } from 'react';
import { findRoute, type RouteParams } from './router/match.ts';
import { prefetchToday } from './screens/today/list-query.ts';

export interface ScreenProps {
  params: RouteParams;
  /** Parameters after "?" in the hash, e.g. #/accounts?search=acme. */
  query: URLSearchParams;
  /** The matched path, e.g. "/accounts/acc_1". */
  path: string;
}

export interface AppRoute {
  /** "/accounts" or "/accounts/:id". */
  path: string;
  /** For the window title. */
  title: string;
  /** The screen, whose code is a chunk of its own (lazyScreen). */
  screen: LazyScreen;
  /** Asks for the data the screen asks for first, when the app opens on it (see preloadScreen). */
  prefetch?: (query: URLSearchParams) => void;
  /** Present for screens listed in the sidebar's Main navigation, under this label. */
  nav?: string;
  /**
   * The screen is meaningless without accounts; while the book is empty the shell shows the
   * "load data" empty state instead. Leave it off for screens that put data in (Sync, Settings).
   */
  needsData?: boolean;
}

export const HOME_PATH = '/today';

/**
 * A screen whose code is a chunk of its own, fetched the first time it is shown or preloaded.
 * Performance (docs/performance.md, "UI: first rows"): with every screen (recharts, the settings
 * editors, the outreach composer…) in one bundle, Today's first rows waited for all of it to be
 * parsed and run.
 *
 * Not React.lazy + Suspense: a lazy component suspends on its first render even when its code is
 * already here, and React then holds the revealed screen back for its fallback throttle (300 ms).
 * RouteView renders `component` when it is there and a spinner until `load()` resolves.
 */
export interface LazyScreen {
  load: () => Promise<ComponentType<ScreenProps>>;
  /** Set once the code has loaded. */
  readonly component: ComponentType<ScreenProps> | null;
}

function lazyScreen(importer: () => Promise<ComponentType<ScreenProps>>): LazyScreen {
  let loading: Promise<ComponentType<ScreenProps>> | null = null;
  const screen: { load: LazyScreen['load']; component: ComponentType<ScreenProps> | null } = {
    component: null,
    load: () =>
      (loading ??= importer().then(
        (component) => (screen.component = component),
        (error: unknown) => {
          loading = null; // A failed fetch (e.g. the app was updated underneath) may be retried.
          throw error;
        },
      )),
  };
  return screen;
}

export const routes: AppRoute[] = [
  {
    path: '/today',
    title: 'Today',
    screen: lazyScreen(() => import('./screens/today/TodayScreen.tsx').then((m) => m.TodayScreen)),
    prefetch: prefetchToday,
    nav: 'Today',
    needsData: true,
  },
  {
    path: '/accounts',
    title: 'Accounts',
    screen: lazyScreen(() => import('./screens/accounts/AccountsScreen.tsx').then((m) => m.AccountsScreen)),
    nav: 'Accounts',
    needsData: true,
  },
  {
    path: '/renewals',
    title: 'Renewals',
    screen: lazyScreen(() => import('./screens/renewals/RenewalsScreen.tsx').then((m) => m.RenewalsScreen)),
    nav: 'Renewals',
    needsData: true,
  },
  {
    path: '/accounts/:id',
    title: 'Account',
    screen: lazyScreen(() => import('./screens/account/AccountScreen.tsx').then((m) => m.AccountScreen)),
    needsData: true,
  },
  {
    path: '/interventions',
    title: 'Interventions',
    screen: lazyScreen(() =>
      import('./screens/interventions/InterventionsScreen.tsx').then((m) => m.InterventionsScreen),
    ),
    nav: 'Interventions',
    needsData: true,
  },
  {
    path: '/outbox',
    title: 'Outbox',
    screen: lazyScreen(() => import('./screens/outbox/OutboxScreen.tsx').then((m) => m.OutboxScreen)),
    nav: 'Outbox',
    needsData: true,
  },
  {
    path: '/outcomes',
    title: 'Outcomes',
    screen: lazyScreen(() => import('./screens/outcomes/OutcomesScreen.tsx').then((m) => m.OutcomesScreen)),
    nav: 'Outcomes',
    // Not needsData: a team lead's book may hold no accounts, only the outcome files merged into it.
  },
  {
    path: '/sync',
    title: 'Sync',
    screen: lazyScreen(() => import('./screens/sync/SyncScreen.tsx').then((m) => m.SyncScreen)),
    nav: 'Sync',
  },
  {
    path: '/settings',
    title: 'Settings',
    screen: lazyScreen(() => import('./screens/settings/SettingsScreen.tsx').then((m) => m.SettingsScreen)),
    nav: 'Settings',
  },
];

/**
 * At launch: starts loading the code of the screen at `path`, and the data it asks for first,
 * while the shell asks for the app's status, rather than once the shell renders the screen.
 */
export function preloadScreen(path: string, query: URLSearchParams): void {
  const route = findRoute(routes, path === '/' ? HOME_PATH : path)?.route;
  if (!route) return;
  route.screen.load().catch(() => undefined); // RouteView reports a failure when it renders the screen.
  route.prefetch?.(query);
}
