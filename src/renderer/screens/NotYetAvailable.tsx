import type { ReactNode } from 'react';
import { EmptyState } from '../ui/EmptyState.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';

export interface NotYetAvailableProps {
  title: string;
  /** One sentence under the page title: what this screen is for. */
  purpose: string;
  /** What the finished screen will show; the empty state says plainly that it is not built yet. */
  children: ReactNode;
  action?: ReactNode;
}

/** The honest stand-in for a screen that has not been built: no sample numbers, no fake rows. */
export function NotYetAvailable({ title, purpose, children, action }: NotYetAvailableProps) {
  return (
    <>
      <PageHeader title={title} description={purpose} />
      <EmptyState title={`${title} is not available yet`} action={action}>
        {children}
      </EmptyState>
    </>
  );
}
