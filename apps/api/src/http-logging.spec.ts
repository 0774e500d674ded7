import { once } from 'node:events';
import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { until } from '../../../tools/testing/until.js';
import { httpLogOptions, withoutSecrets } from './http-logging.js';

interface LogLine {
  req: { method: string; url: string; headers: Record<string, string> };
  res: { statusCode: number; headers: Record<string, string> };
  responseTime: number;
}

describe('request logs', () => {
  /** The line `level` logs for one request with a signed link's token, a bearer token and a cookie. */
  async function logLineAt(level: string): Promise<LogLine> {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const log = pinoHttp({ ...httpLogOptions(level) }, sink);
    const server = createServer((req, res) => {
      log(req, res);
      res.setHeader('Set-Cookie', 'refresh=n3wc00kie');
      res.end('ok');
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as { port: number };
      await fetch(`http://127.0.0.1:${port}/api/exports/e1/download?token=eyJsecret.part.sig&x=1`, {
        headers: {
          authorization: 'Bearer eyJaccess.token.sig',
          cookie: 'refresh=r3fr3sh',
          'x-api-key': 'tk_live_s3cr3t',
        },
      });
      await until(
        'the request logged',
        async () => lines.length,
        (n) => n > 0,
        2000,
      );
    } finally {
      server.close();
    }
    const [line] = lines;
    for (const secret of ['eyJsecret', 'eyJaccess', 'r3fr3sh', 'n3wc00kie', 's3cr3t'])
      expect(line).not.toContain(secret);
    return JSON.parse(line);
  }

  it('write one compact line per request at info: method, path (never a token), status and time, no headers', async () => {
    const line = await logLineAt('info');
    expect(line.req).toEqual({ method: 'GET', url: '/api/exports/e1/download?token=[Redacted]&x=1' });
    expect(line.res).toEqual({ statusCode: 200 });
    expect(line.responseTime).toEqual(expect.any(Number));
  });

  it('add the headers at debug, with every credential redacted', async () => {
    const line = await logLineAt('debug');
    expect(line.req.url).toBe('/api/exports/e1/download?token=[Redacted]&x=1');
    expect(line.req.headers.authorization).toBe('[Redacted]');
    expect(line.req.headers.cookie).toBe('[Redacted]');
    expect(line.req.headers['x-api-key']).toBe('[Redacted]');
    expect(line.res.headers['set-cookie']).toBe('[Redacted]');
  });

  it('leaves URLs without credentials as they are', () => {
    expect(withoutSecrets('/api/contacts?limit=20&q=a%20b')).toBe('/api/contacts?limit=20&q=a%20b');
    expect(withoutSecrets('/api/health')).toBe('/api/health');
    expect(withoutSecrets('/x?token=a&token=b')).toBe('/x?token=[Redacted]');
  });
});
