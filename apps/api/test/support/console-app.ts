import { signInOperator } from './sessions.js';
import { startTestApp, type TestApp } from './test-app.js';

/**
 * The file's app, booted before its tests and closed after them, with a super admin signed in:
 * `t` is filled in by the time a test runs, and `platform` calls the console's API as that operator.
 */
export function withOperator() {
  const t = {} as TestApp;
  let operator: string;
  beforeAll(async () => {
    Object.assign(t, await startTestApp());
    operator = await signInOperator(t);
  });
  afterAll(() => t.close());
  const platform = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string) =>
    t.http[method](`/api/platform${path}`).set('Authorization', `Bearer ${operator}`);
  return { t, platform };
}
