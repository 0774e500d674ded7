import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestMailbox } from '../../../tools/testing/mailbox.js';
import { createTestDatabase, type TestDatabase } from '../../../tools/testing/test-database.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

export interface ServedApp {
  port: number;
  db: TestDatabase;
  /** The SMTP server the app sends its mail to. */
  mailbox: TestMailbox;
  url(tenant?: string): string;
  stop(): Promise<void>;
}

/** Runs the built API (serving the built SPA) as `npm start` does, on a database of its own. */
export async function serveBuiltApp(env: Record<string, string> = {}): Promise<ServedApp> {
  const db = await createTestDatabase();
  const mailbox = await new TestMailbox().start();
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['apps/api/dist/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      NODE_OPTIONS: '',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.appUrl,
      DATABASE_OWNER_URL: db.ownerUrl,
      DATABASE_PLATFORM_URL: db.platformUrl,
      JWT_SECRET: 'browser-test-secret-browser-test-secret',
      WEB_DIST: 'apps/web/dist',
      PUBLIC_URL: `http://localhost:${port}`,
      SMTP_URL: mailbox.url,
      REDIS_KEY_PREFIX: `${db.name}:`,
      DATA_DIR: join(tmpdir(), db.name),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}; run the build first (nx run-many -t build)`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error('API did not become healthy within 20 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    db,
    mailbox,
    url: (tenant) => `http://${tenant ? `${tenant}.` : ''}localhost:${port}/`,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
      await mailbox.stop();
      await db.drop();
      await rm(join(tmpdir(), db.name), { recursive: true, force: true });
    },
  };
}
