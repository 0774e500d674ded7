import { once } from 'node:events';
import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { httpLogOptions, withoutSecrets } from './http-logging.js';

describe('request logs', () => {
  it('keep the path of a signed link but never its token, a bearer token or a cookie', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const log = pinoHttp({ ...httpLogOptions('info') }, sink);
    const server = createServer((req, res) => {
      log(req, res);
      res.end('ok');
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as { port: number };
      await fetch(`http://127.0.0.1:${port}/api/exports/e1/download?token=eyJsecret.part.sig&x=1`, {
        headers: { authorization: 'Bearer eyJaccess.token.sig', cookie: 'refresh=r3fr3sh' },
      });
      for (let i = 0; i < 50 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    } finally {
      server.close();
    }
    const [line] = lines;
    expect(JSON.parse(line).req.url).toBe('/api/exports/e1/download?token=[Redacted]&x=1');
    expect(line).not.toContain('eyJsecret');
    expect(line).not.toContain('eyJaccess');
    expect(line).not.toContain('r3fr3sh');
  });

  it('leaves URLs without credentials as they are', () => {
    expect(withoutSecrets('/api/contacts?limit=20&q=a%20b')).toBe('/api/contacts?limit=20&q=a%20b');
    expect(withoutSecrets('/api/health')).toBe('/api/health');
    expect(withoutSecrets('/x?token=a&token=b')).toBe('/x?token=[Redacted]');
  });
});
