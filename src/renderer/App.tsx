import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useJobTracking } from './api/jobs.ts';
import { invalidateOnChanges, queryClient } from './api/query-client.ts';
import { DraftComposerRoot } from './outreach/DraftComposerRoot.tsx';
import { AppShell } from './shell/AppShell.tsx';
import { AppStatusProvider } from './shell/AppStatusProvider.tsx';
import { Toaster } from './ui/Toast.tsx';
import { TooltipProvider } from './ui/Tooltip.tsx';
import { useNavigateEvents } from './shell/useNavigateEvents.ts';
import { useNoticeEvents } from './shell/useNoticeEvents.ts';

/** Providers that every screen relies on, then the shell. */
export function App() {
  useJobTracking();
  useNavigateEvents();
  useNoticeEvents();
  useEffect(() => invalidateOnChanges(queryClient), []);
  return (
    <QueryClientProvider client={queryClient}>
      <TooltipProvider>
        <AppStatusProvider>
          <AppShell />
        </AppStatusProvider>
        <Toaster />
        <DraftComposerRoot />
      </TooltipProvider>
    </QueryClientProvider>
  );
}
