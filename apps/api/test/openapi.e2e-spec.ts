import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '../src/app.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const COMMITTED = fileURLToPath(new URL('../openapi.json', import.meta.url));

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('OpenAPI document', () => {
  it('matches the committed apps/api/openapi.json (an API change shows up in review)', () => {
    const current = `${JSON.stringify(openApiDocument(t.app), null, 2)}\n`;
    // UPDATE_OPENAPI=1 rewrites the committed file instead of comparing.
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(COMMITTED, current);
    expect(current).toBe(readFileSync(COMMITTED, 'utf8'));
  });

  it('serves the document at /api/docs', async () => {
    const res = await t.http.get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/contacts', '/api/auth/login']));
  });
});
