import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import '../shared/base.css';
import { PrefsProvider } from '../shared/prefs.tsx';
import { Workbench } from './Workbench.tsx';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <PrefsProvider>
        <BrowserRouter>
          <Workbench />
        </BrowserRouter>
      </PrefsProvider>
    </StrictMode>,
  );
}
