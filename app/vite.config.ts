import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Relative asset URLs: the same build is loaded from file:// by Electron and from the browser host.
export default defineConfig({
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
});
