import { useJobTracking } from './api/jobs.ts';
import { DraftComposerRoot } from './outreach/DraftComposerRoot.tsx';
import { AppShell } from './shell/AppShell.tsx';
import { AppStatusProvider } from './shell/AppStatusProvider.tsx';
import { Toaster } from './ui/Toast.tsx';
import { TooltipProvider } from './ui/Tooltip.tsx';
import { useNavigateEvents } from './shell/useNavigateEvents.ts';

/** Providers that every screen relies on, then the shell. */
export function App() {
  useJobTracking();
  useNavigateEvents();
  return (
    <TooltipProvider>
      <AppStatusProvider>
        <AppShell />
      </AppStatusProvider>
      <Toaster />
      <DraftComposerRoot />
    </TooltipProvider>
  );
}
