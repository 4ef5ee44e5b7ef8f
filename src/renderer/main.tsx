// Tokens and base styles first, so component styles (imported by App's tree) can override them.
import './ui/tokens.css';
import './ui/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { getTransport } from './api/client.ts';
import { prefetchApi } from './api/query-client.ts';
import { reportUncaughtErrors } from './api/report-error.ts';
import { ErrorBoundary } from './shell/ErrorBoundary.tsx';
import { splitHash } from './router/location.ts';
import { preloadScreen } from './routes.tsx';

// Pick the transport before the first render, so the web preview's token leaves the address bar
// immediately and no component has to cause that side effect while rendering.
getTransport();
// Before anything can fail: errors no component catches still reach the app's log.
reportUncaughtErrors();
// Performance (docs/performance.md, "UI: first rows"): the shell renders nothing until app.status
// answers, so ask now rather than from the first render's effects.
prefetchApi('app.status', {});
// Fetch the opening screen's code (a chunk of its own) and first data alongside app.status.
const opening = splitHash(window.location.hash.replace(/^#/, ''));
preloadScreen(opening.path, opening.query);

const root = document.getElementById('root');
if (!root) throw new Error('index.html is missing <div id="root">.');

createRoot(root).render(
  <StrictMode>
    <ErrorBoundary area="Foresight">
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
