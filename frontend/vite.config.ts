import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The app: index.html and embed.html share one bundle (main.ts routes on <body data-page>).
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        embed: resolve(import.meta.dirname, 'embed.html'),
      },
    },
  },
  server: {
    proxy: {
      // `npm run dev` against a server on :8080 (scripts/run.sh).
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
      '/api': 'http://127.0.0.1:8080',
    },
  },
});
