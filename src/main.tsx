import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startServiceWorker } from './hosting/register-service-worker';
import { installWindowApi } from './lab/api/window-api';
import { App } from './ui/app';
import './ui/styles.css';

// Built pages only: the dev server sends the isolation headers itself and must never serve from a cache.
// On a host without those headers this reloads the page once, before anything else starts.
if (import.meta.env.PROD) await startServiceWorker('./sw.js', './');

// The headless API is installed before React renders so tests and the CLI
// never depend on the UI having mounted.
installWindowApi();

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html lacks #root');
createRoot(rootElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
