import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  // Workspace libraries are consumed from their TypeScript sources.
  resolve: { conditions: ['@tenantry/source', 'module', 'browser', 'default'] },
  // The same for the unit tests, which run as server-side code: no build of the libraries first.
  ssr: { resolve: { conditions: ['@tenantry/source', 'module', 'node', 'default'] } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: { port: 5173, proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } } },
  test: { environment: 'node', include: ['src/**/*.spec.ts'], globals: true },
});
