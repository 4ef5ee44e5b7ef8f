import { useMemo, type ReactNode } from 'react';
import { useApiQuery } from '../api/hooks.ts';
import { AppStatusContext } from './status-context.ts';

/** One app.status query for the whole app; it reloads itself on every data-changed event. */
export function AppStatusProvider({ children }: { children: ReactNode }) {
  const { data, error, loading, reload } = useApiQuery('app.status', {});
  const value = useMemo(() => ({ status: data, error, loading, reload }), [data, error, loading, reload]);
  return <AppStatusContext value={value}>{children}</AppStatusContext>;
}
