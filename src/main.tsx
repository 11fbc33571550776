import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installWindowApi } from './lab/api/window-api';
import { App } from './ui/app';
import './ui/styles.css';

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
