/**
 * Every screen is registered here, once. Order matters twice: the first matching pattern wins,
 * and entries with `nav` appear in the sidebar in this order.
 *
 * To add a screen: write screens/<area>/<Name>Screen.tsx taking ScreenProps, add a row below.
 * Parameterised paths use ":name" segments; the values arrive in props.params, already decoded.
 */
import type { ComponentType } from 'react';
import type { RouteParams } from './router/match.ts';
import { AccountScreen } from './screens/account/AccountScreen.tsx';
import { AccountsScreen } from './screens/accounts/AccountsScreen.tsx';
import { InterventionsScreen } from './screens/interventions/InterventionsScreen.tsx';
import { OutcomesScreen } from './screens/outcomes/OutcomesScreen.tsx';
import { SettingsScreen } from './screens/settings/SettingsScreen.tsx';
import { SyncScreen } from './screens/sync/SyncScreen.tsx';
import { TodayScreen } from './screens/today/TodayScreen.tsx';

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
  component: ComponentType<ScreenProps>;
  /** Present for screens listed in the sidebar's Main navigation, under this label. */
  nav?: string;
  /**
   * The screen is meaningless without accounts; while the book is empty the shell shows the
   * "load data" empty state instead. Leave it off for screens that put data in (Sync, Settings).
   */
  needsData?: boolean;
}

export const HOME_PATH = '/today';

export const routes: AppRoute[] = [
  { path: '/today', title: 'Today', component: TodayScreen, nav: 'Today', needsData: true },
  { path: '/accounts', title: 'Accounts', component: AccountsScreen, nav: 'Accounts', needsData: true },
  { path: '/accounts/:id', title: 'Account', component: AccountScreen, needsData: true },
  { path: '/interventions', title: 'Interventions', component: InterventionsScreen, nav: 'Interventions', needsData: true },
  { path: '/outcomes', title: 'Outcomes', component: OutcomesScreen, nav: 'Outcomes', needsData: true },
  { path: '/sync', title: 'Sync', component: SyncScreen, nav: 'Sync' },
  { path: '/settings', title: 'Settings', component: SettingsScreen, nav: 'Settings' },
];
