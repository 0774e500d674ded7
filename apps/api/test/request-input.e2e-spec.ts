import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const nested = (levels: number, open = '[', close = ']') => `${open.repeat(levels)}${close.repeat(levels)}`;
const nestedObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('request bodies', () => {
  it.each([
    ['arrays', nested(1_400)],
    ['objects', nestedObject(1_400)],
    ['arrays, very deep', nested(100_000)],
    ['objects inside a field', `{"email":"a@b.example","password":${nestedObject(1_400)}}`],
  ])('refuses JSON nested too deep (%s) with 400 VALIDATION_FAILED, before sign-in and after', async (_, body) => {
    for (const path of ['/api/auth/login', '/api/contacts', '/api/auth/signup']) {
      const res = await t.http.post(path).set('Content-Type', 'application/json').send(body);
      expect({ path, status: res.status, code: codeOf(res) }).toEqual({ path, status: 400, code: 'VALIDATION_FAILED' });
      expect(JSON.stringify(res.body)).toMatch(/nested/);
    }
  });

  it('takes JSON nested as deep as a real request goes', async () => {
    const res = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(`{"email":"nobody@example.com","password":"x","extra":${nestedObject(20)}}`);
    expect(res.status).toBe(400);
    // An unknown field, not a refused depth.
    expect(JSON.stringify(res.body)).not.toMatch(/nested/);
  });

  it('reads query strings flat: brackets are no nesting', async () => {
    const deep = `a${'[a]'.repeat(1_400)}=1`;
    const res = await t.http.get(`/api/sso/discover?${deep}`);
    expect(res.status).toBeLessThan(500);
  });
});
