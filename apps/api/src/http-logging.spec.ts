import { once } from 'node:events';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { assignRequestId, RequestContext } from '@tenantry/api-core';
import express from 'express';
import { until } from '@tenantry/testing/until';
import { createApiLogger, logRequests, withoutSecrets } from './http-logging.js';

interface LogLine {
  level: number;
  msg: string;
  reqId: string;
  tenantId?: string;
  userId?: string;
  route?: string;
  req: { method: string; url: string; headers?: Record<string, string> };
  res: { statusCode: number; headers?: Record<string, string> };
  responseTime: number;
}

const CREDENTIALS = {
  authorization: 'Bearer eyJaccess.token.sig',
  cookie: 'refresh=r3fr3sh',
  'x-api-key': 'tk_live_s3cr3t',
};

describe('request logs', () => {
  let server: Server;
  let lines: string[];
  let base: string;
  let reached: () => void;

  /** An API-shaped app logging at `level`: a signed download link, a tenant's route, a failing route. */
  async function serve(level: string): Promise<void> {
    lines = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const app = express()
      .use(assignRequestId)
      .use(logRequests(createApiLogger(level, sink)))
      .use((req, _res, next) => RequestContext.run({ requestId: (req as { id?: string }).id ?? '' }, next))
      .get('/api/exports/:id/download', (_req, res) => {
        res.setHeader('Set-Cookie', 'refresh=n3wc00kie');
        res.end('ok');
      })
      .get('/api/contacts', (_req, res) => {
        Object.assign(RequestContext.current()!, { tenant: { id: 't-1' }, userId: 'u-1' });
        // Answered later, as a handler awaiting the database does.
        setImmediate(() => res.json([]));
      })
      .get('/api/broken', (_req, res) => res.status(500).json({ code: 'INTERNAL' }))
      // Never answers: the client leaves first.
      .get('/api/never', () => reached());
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  /** The line logged for one call to `path`. */
  async function lineFor(path: string): Promise<LogLine> {
    const response = await fetch(base + path, { headers: CREDENTIALS });
    await response.arrayBuffer();
    await until(
      'the request logged',
      async () => lines.length,
      (n) => n > 0,
      2000,
    );
    const [line] = lines;
    for (const secret of ['eyJsecret', 'eyJaccess', 'r3fr3sh', 'n3wc00kie', 's3cr3t'])
      expect(line).not.toContain(secret);
    const parsed = JSON.parse(line) as LogLine;
    expect(parsed.reqId).toBe(response.headers.get('x-request-id'));
    return parsed;
  }

  afterEach(() => server.close());

  it('writes one compact line per request at info: method, path (never a token), route, status and time, no headers', async () => {
    await serve('info');
    const line = await lineFor('/api/exports/e1/download?token=eyJsecret.part.sig&x=1');
    expect(line).toMatchObject({ msg: 'request completed', level: 30, route: '/api/exports/:id/download' });
    expect(line.req).toEqual({ method: 'GET', url: '/api/exports/e1/download?token=[Redacted]&x=1' });
    expect(line.res).toEqual({ statusCode: 200 });
    expect(line.responseTime).toEqual(expect.any(Number));
  });

  it('names the tenant and the user the request acted for', async () => {
    await serve('info');
    expect(await lineFor('/api/contacts')).toMatchObject({ tenantId: 't-1', userId: 'u-1', res: { statusCode: 200 } });
  });

  it('logs a server error as an error', async () => {
    await serve('info');
    expect(await lineFor('/api/broken')).toMatchObject({ level: 50, msg: 'request failed', res: { statusCode: 500 } });
  });

  it('logs a request the client gave up on as aborted', async () => {
    await serve('info');
    const call = new AbortController();
    const served = new Promise<void>((resolve) => (reached = resolve));
    const response = fetch(`${base}/api/never`, { signal: call.signal }).catch(() => undefined);
    await served;
    call.abort();
    await response;
    await until(
      'the request logged',
      async () => lines.length,
      (n) => n > 0,
      2000,
    );
    expect(JSON.parse(lines[0])).toMatchObject({ level: 40, msg: 'request aborted', route: '/api/never' });
  });

  it('adds the headers at debug, with every credential redacted', async () => {
    await serve('debug');
    const line = await lineFor('/api/exports/e1/download?token=eyJsecret.part.sig&x=1');
    expect(line.req.url).toBe('/api/exports/e1/download?token=[Redacted]&x=1');
    expect(line.req.headers?.authorization).toBe('[Redacted]');
    expect(line.req.headers?.cookie).toBe('[Redacted]');
    expect(line.req.headers?.['x-api-key']).toBe('[Redacted]');
    expect(line.res.headers?.['set-cookie']).toBe('[Redacted]');
  });

  it('leaves URLs without credentials as they are', () => {
    expect(withoutSecrets('/api/contacts?limit=20&q=a%20b')).toBe('/api/contacts?limit=20&q=a%20b');
    expect(withoutSecrets('/api/health')).toBe('/api/health');
    expect(withoutSecrets('/x?token=a&token=b')).toBe('/x?token=[Redacted]');
  });
});
