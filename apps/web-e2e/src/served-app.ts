import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiEnvironment, startApi } from '@tenantry/testing/api-process';
import { TestMailbox } from '@tenantry/testing/mailbox';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';

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
  const api = await startApi({ ...apiEnvironment(db), WEB_DIST: 'apps/web/dist', SMTP_URL: mailbox.url, ...env });
  return {
    port: api.port,
    db,
    mailbox,
    url: (tenant) => `http://${tenant ? `${tenant}.` : ''}localhost:${api.port}/`,
    async stop() {
      await api.stop();
      await mailbox.stop();
      await db.drop();
      await rm(join(tmpdir(), db.name), { recursive: true, force: true });
    },
  };
}
