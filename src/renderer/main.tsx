// Tokens and base styles first, so component styles (imported by App's tree) can override them.
import './ui/tokens.css';
import './ui/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { getTransport } from './api/client.ts';

// Pick the transport before the first render, so the web preview's token leaves the address bar
// immediately and no component has to cause that side effect while rendering.
getTransport();

const root = document.getElementById('root');
if (!root) throw new Error('index.html is missing <div id="root">.');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
