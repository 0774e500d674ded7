import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { Redis } from 'ioredis';
import { type Browser, chromium } from 'playwright-core';
import { apiEnvironment, freePort } from '@tenantry/testing/api-process';
import { copyRepository, linkDependencies } from '@tenantry/testing/scratch-copy';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
import { until } from '@tenantry/testing/until';

// `npm run dev` (tools/dev.sh) in a copy of the repository: edits to the API, a library and the SPA
// reach the running servers without anything being restarted by hand, and Ctrl-C stops it all.

/** The processes of session `sid` (the loop's script started one of its own). */
function sessionProcesses(sid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '-s', String(sid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim())
      .map(Number);
  } catch {
    return []; // ps exits 1 when there is none
  }
}

/** GET with a Host header of our choosing (fetch sends the URL's), as a browser on a tenant's address does. */
function get(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    })
      .on('error', () => resolve({ status: 0, body: '' }))
      .end();
  });
}

/** Replaces `from` with `to` in the copy's `file`, once (the test's edit must apply). */
function edit(file: string, from: string | RegExp, to: string): void {
  const path = join(scratch, file);
  const source = readFileSync(path, 'utf8');
  const edited = source.replace(from, to);
  if (edited === source) throw new Error(`${file}: ${String(from)} not found; the test's edit needs updating`);
  writeFileSync(path, edited);
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const lastLines = () => `npm run dev printed (last 100 lines):\n${output.split('\n').slice(-100).join('\n')}`;

/** A test whose failure shows what the loop printed last. */
function loopTest(name: string, body: () => Promise<void>): void {
  test(name, async () => {
    try {
      await body();
    } catch (error) {
      if (error instanceof Error) error.message += `\n\n${lastLines()}`;
      throw error;
    }
  });
}

let scratch: string;
let db: TestDatabase;
let dataDir: string;
let loop: ChildProcess | undefined;
let exited: Promise<unknown>;
let closed = false;
let output = '';
let browser: Browser | undefined;
let apiPort: number;
let webPort: number;
const timings: string[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'tenantry-dev-loop-'));
  copyRepository(scratch);
  linkDependencies(scratch);
  db = await createTestDatabase();
  dataDir = join(tmpdir(), db.name);
  [apiPort, webPort] = [await freePort(), await freePort()];
  const started = Date.now();
  loop = spawn('bash', ['tools/dev.sh'], {
    cwd: scratch,
    // A session of its own, as in a terminal: Ctrl-C is a SIGINT to the script's process group.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...apiEnvironment(db),
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      PORT: String(apiPort),
      WEB_PORT: String(webPort),
      HOST: '127.0.0.1',
      SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
      DATA_DIR: dataDir,
    },
  });
  // Closed: exited, and all it printed read.
  exited = once(loop, 'close').then(() => (closed = true));
  // As a person reads it: without the colours a terminal shows (CI may force them on).
  const read = (chunk: string) => (output += stripVTControlCharacters(chunk));
  loop.stdout!.setEncoding('utf8').on('data', read);
  loop.stderr!.setEncoding('utf8').on('data', read);
  await until(
    'the loop started (its banner printed)',
    async () => ({ banner: output.includes('Tenantry is running'), exitCode: loop!.exitCode }),
    (state) => state.banner || state.exitCode !== null,
    150_000,
  ).catch((error: Error) => Promise.reject(new Error(`${error.message}\n\n${lastLines()}`)));
  if (!output.includes('Tenantry is running')) throw new Error(`npm run dev exited.\n\n${lastLines()}`);
  timings.push(`first start ${seconds(started)}`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (loop?.pid) {
    if (!closed) {
      try {
        process.kill(-loop.pid, 'SIGINT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000).unref())]);
      } catch {
        // the script is gone already
      }
    }
    // Whatever a failed stop left: killed.
    for (const pid of sessionProcesses(loop.pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
  if (db) {
    await db.drop();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
    try {
      await redis.connect();
      const keys = await redis.keys(`${db.name}:*`);
      if (keys.length) await redis.unlink(...keys);
    } finally {
      redis.disconnect();
    }
  }
  for (const dir of [scratch, dataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  console.log(`npm run dev: ${timings.join(', ')}`);
}, 60_000);

loopTest(
  'each tenant is served on its address by the SPA dev server, which proxies the API with the Host kept; one log line per request',
  async () => {
    const page = await get(webPort, '/', `acme.localhost:${webPort}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('/src/main.tsx');
    const branding = await get(webPort, '/api/branding', `acme.localhost:${webPort}`);
    expect(branding.status).toBe(200);
    expect(JSON.parse(branding.body)).toMatchObject({ tenant: { slug: 'acme' }, primaryColor: '#1d4ed8' });
    await until(
      'the request logged on one readable line',
      async () => output,
      (text) => /^\d\d:\d\d:\d\d GET \/api\/branding 200 \d+ ms acme$/m.test(text),
      5_000,
    );
  },
);

loopTest('an SPA source file changed: the page in the browser updates in place (hot module reload)', async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`http://acme.localhost:${webPort}/`);
  await page.getByRole('heading', { name: 'Sign in to Acme Corporation' }).waitFor();
  const brandPrimary = () =>
    page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim());
  expect(await brandPrimary()).toBe('#1d4ed8');
  // Gone if the page were loaded again rather than updated.
  await page.evaluate(() => Object.assign(window, { devLoopMarker: 'still here' }));

  const edited = Date.now();
  edit('apps/web/src/features/auth/LoginPage.tsx', 'Sign in to {tenantName}', 'Sign in (edited) to {tenantName}');
  await page.getByRole('heading', { name: 'Sign in (edited) to Acme Corporation' }).waitFor();
  timings.push(`SPA change in the browser after ${seconds(edited)}`);
  expect(await page.evaluate(() => (window as unknown as { devLoopMarker?: string }).devLoopMarker)).toBe('still here');
});

loopTest('an API source file changed: the running API answers with the change', async () => {
  const edited = Date.now();
  edit(
    'apps/api/src/health/health.controller.ts',
    /return this\.health\.check\(\[([\s\S]*?)\n {4}\]\);/,
    "return this.health.check([$1\n    ]).then((result) => ({ ...result, devLoop: 'edited' }));",
  );
  await until(
    'the API answering with the new field',
    () => get(apiPort, '/api/health', `localhost:${apiPort}`),
    (res) => res.status === 200 && (JSON.parse(res.body) as { devLoop?: string }).devLoop === 'edited',
    60_000,
  );
  timings.push(`API change answered after ${seconds(edited)}`);
});

loopTest("a library's source file changed: the API answers with the change", async () => {
  const edited = Date.now();
  edit('libs/contracts/src/errors.ts', "message: 'Sign in to continue.'", "message: 'Sign in first (edited).'");
  await until(
    'the API answering with the library’s new message',
    () => get(apiPort, '/api/contacts', `acme.localhost:${apiPort}`),
    (res) => res.status === 401 && res.body.includes('Sign in first (edited).'),
    60_000,
  );
  timings.push(`library change answered after ${seconds(edited)}`);
});

loopTest('Ctrl-C stops every process of the loop, the API gracefully', async () => {
  const stopped = Date.now();
  const printedBefore = output.length;
  // As a terminal does: to the foreground process group, the script's.
  process.kill(-loop!.pid!, 'SIGINT');
  await until('the loop stopped', async () => closed, Boolean, 40_000);
  expect(loop!.exitCode).toBe(130);
  expect(sessionProcesses(loop!.pid!)).toEqual([]);
  // The API stopped as on a SIGTERM (drained), and its last lines were printed.
  expect(output.slice(printedBefore)).toMatch(/\[Shutdown\] drained/);
  timings.push(`stopped after ${seconds(stopped)}`);
});
