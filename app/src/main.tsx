import './host/no-eval';
import './styles/theme.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/tables.css';
import './styles/sign-in.css';
import './styles/details.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectToCore } from './host/connect-to-core';
import { CoreProvider } from './state/core-context';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element to render Switchboard into');

createRoot(root).render(
  <StrictMode>
    <CoreProvider connection={connectToCore()}>
      <App />
    </CoreProvider>
  </StrictMode>,
);
