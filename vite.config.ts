// One Vite build, two entry points: the public portal and the internal workbench. The server serves each entry
// only on its own listener, and only the files that entry reaches (src/platform/web.ts reads the manifest).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    manifest: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { public: 'web/public/index.html', work: 'web/work/index.html' },
    },
  },
});
