import type { HttpAdapterHost } from '@nestjs/core';
import express, { type Express } from 'express';
import request from 'supertest';
import { RouteIndex } from './route-index.js';

/** Routes in an order that makes registration order matter: a parameter ahead of a literal, catch-alls, deeper keys. */
function buildApp(): Express {
  const app = express();
  const answer = (name: string) => (_req: express.Request, res: express.Response) => res.send(name);
  app.use((req, res, next) => (req.path === '/middleware' ? res.send('middleware') : next()));
  app.all('/api{/*splat}', (req, res, next) => (req.query.stop ? res.send('catch-all') : next()));
  app.get('/api/:section/latest', answer('section-latest'));
  app.get('/api/contacts', answer('contacts'));
  app.post('/api/contacts', answer('contacts-create'));
  app.get('/api/contacts/export', answer('contacts-export'));
  app.get('/api/contacts/:id', answer('contact'));
  app.get('/api/platform/tenants/:id', answer('platform-tenant'));
  app.get('/api/platform/tenants/:id/usage', answer('platform-tenant-usage'));
  app.get('/api/platform/:thing', answer('platform-thing'));
  app.get('/:anything', answer('root-param'));
  return app;
}

const PATHS = [
  ['GET', '/middleware'],
  ['GET', '/api/contacts?stop=1'],
  ['GET', '/api/contacts'],
  ['GET', '/API/Contacts/'],
  ['HEAD', '/api/contacts'],
  ['POST', '/api/contacts'],
  ['DELETE', '/api/contacts'],
  ['GET', '/api/contacts/export'],
  ['GET', '/api/contacts/42'],
  ['GET', '/api/contacts/latest'],
  ['GET', '/api/contacts/42/extra'],
  ['GET', '/api/platform/tenants/7'],
  ['GET', '/api/platform/tenants/7/usage'],
  ['GET', '/api/platform/tenants'],
  ['GET', '/api/platform/latest'],
  ['GET', '/api/unknown/latest'],
  ['GET', '/api'],
  ['GET', '/elsewhere'],
  ['GET', '/api//contacts'],
  ['GET', '/api/%63ontacts'],
] as const;

async function answers(app: Express): Promise<string[]> {
  const results: string[] = [];
  for (const [method, path] of PATHS) {
    const res = await request(app)[method.toLowerCase() as 'get'](path);
    results.push(`${method} ${path} → ${res.status} ${res.text ?? ''}`);
  }
  return results;
}

describe('RouteIndex', () => {
  it('answers every request with the route Express alone would have chosen', async () => {
    const plain = buildApp();
    const indexed = buildApp();
    const index = new RouteIndex({ httpAdapter: { getInstance: () => indexed } } as unknown as HttpAdapterHost);
    index.onModuleInit();

    const expected = await answers(plain);
    expect(await answers(indexed)).toEqual(expected);
    // The cases above do reach different routes (not everything falling through to a 404).
    expect(new Set(expected.map((line) => line.split(' → ')[1])).size).toBeGreaterThan(10);
  });

  it('lists the routes it serves, in registration order', () => {
    const app = buildApp();
    const index = new RouteIndex({ httpAdapter: { getInstance: () => app } } as unknown as HttpAdapterHost);
    index.onModuleInit();

    const routes = index.routes().filter((r) => r.method === 'GET');
    expect(routes.map((r) => r.path).slice(1, 4)).toEqual([
      '/api/:section/latest',
      '/api/contacts',
      '/api/contacts/export',
    ]);
  });

  it('leaves the app with a single layer in place of its routes', () => {
    const app = buildApp();
    const before = (app.router as unknown as { stack: unknown[] }).stack.length;
    new RouteIndex({ httpAdapter: { getInstance: () => app } } as unknown as HttpAdapterHost).onModuleInit();
    // Express's own layers and the middleware stay; the ten routes become one.
    expect((app.router as unknown as { stack: unknown[] }).stack.length).toBe(before - 10 + 1);
  });
});
