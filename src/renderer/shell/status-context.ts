/**
 * app.status is needed by the header, the demo banner, the empty-book gate and some screens; one
 * query at the top feeds them all through this context instead of each fetching its own copy.
 */
import { createContext, useContext } from 'react';
import type { QueryState } from '../api/hooks.ts';
import type { AppStatus } from '../../shared/dto/core.ts';

export type AppStatusState = Omit<QueryState<AppStatus>, 'data'> & { status: AppStatus | undefined };

export const AppStatusContext = createContext<AppStatusState | null>(null);

export function useAppStatus(): AppStatusState {
  const value = useContext(AppStatusContext);
  if (!value) throw new Error('useAppStatus must be used inside <AppStatusProvider>.');
  return value;
}

/** True when the book has no accounts, so data screens have nothing to show. */
export function isEmptyBook(status: AppStatus): boolean {
  return status.counts.accounts === 0;
}
