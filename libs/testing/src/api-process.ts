import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from './test-database.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ApiProcess {
  port: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  pid: number;
  /** Settles when the process has exited. */
  exited: Promise<Exit>;
  /** Sends `signal` (SIGTERM: a graceful stop) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/** What every instance of a test shares: its database, Redis namespace, files and secret. */
export function apiEnvironment(db: TestDatabase): Record<string, string> {
  return {
    NODE_ENV: 'test',
    NODE_OPTIONS: '',
    LOG_LEVEL: 'warn',
    DATABASE_URL: db.appUrl,
    DATABASE_OWNER_URL: db.ownerUrl,
    DATABASE_PLATFORM_URL: db.platformUrl,
    JWT_SECRET: 'process-test-secret-process-test-secret',
    REDIS_KEY_PREFIX: `${db.name}:`,
    DATA_DIR: join(tmpdir(), db.name),
    // No balancer to leave: a stop drains at once (the shutdown test sets its own delay).
    SHUTDOWN_DELAY_MS: '0',
  };
}

/**
 * Runs the built API (`apps/api/dist/main.js`, as `npm start` does) as a
 * process of its own and waits until /api/health answers.
 */
export async function startApi(env: Record<string, string>, port?: number): Promise<ApiProcess> {
  port ??= await freePort();
  const child: ChildProcess = spawn(process.execPath, ['apps/api/dist/main.js'], {
    cwd: root,
    env: { ...process.env, PUBLIC_URL: `http://localhost:${port}`, ...env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }) as Exit);
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`API exited with ${child.exitCode}; run the build first (nx run-many -t build)`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('API did not become healthy within 20 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
