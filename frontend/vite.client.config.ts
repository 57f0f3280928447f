import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The client library alone, as one standalone ES module: dist/procpulse-client.js.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    lib: {
      entry: resolve(import.meta.dirname, 'src/net/index.ts'),
      formats: ['es'],
      fileName: () => 'procpulse-client.js',
    },
  },
});
