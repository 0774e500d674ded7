import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The dev server (`npm run dev` passes these) proxies /api, websockets included, to the API; the Host
// header goes along as it is, and the API finds the tenant in its subdomain. Host names under
// localhost are always let in; under BASE_DOMAIN too when the platform runs under another name.
const apiUrl = process.env.TENANTRY_API_URL ?? 'http://127.0.0.1:3000';
const baseDomain = process.env.BASE_DOMAIN ?? 'localhost';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  // Workspace libraries are consumed from their TypeScript sources.
  resolve: { conditions: ['@tenantry/source', 'module', 'browser', 'default'] },
  // The same for the unit tests, which run as server-side code: no build of the libraries first.
  ssr: { resolve: { conditions: ['@tenantry/source', 'module', 'node', 'default'] } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: { port: 5173, allowedHosts: [`.${baseDomain}`], proxy: { '/api': { target: apiUrl, ws: true } } },
  test: { environment: 'node', include: ['src/**/*.spec.ts'], globals: true },
});
