import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { copyRepository, linkDependencies } from '@tenantry/testing/scratch-copy';

// `npx nx g @tenantry/tools:tenant-module` in a copy of the repository: the module and SPA page it writes
// typechecks, passes lint, and passes its own tests and the isolation checks with no edit by hand.

const FIELDS = 'number:string,amountCents:int,dueOn:date,paid:bool,notes:text,rate:number';
const STEP_MS = 10 * 60_000;

let scratch: string;

/** A command in the copy, as a developer runs it; throws with its output when it fails. */
function run(command: string, args: string[], env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, {
    cwd: scratch,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  // Without terminal colours (CI forces them on), as a person reads it.
  const output = stripVTControlCharacters(`${result.stdout}${result.stderr}`);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${output.slice(-6000)}`);
  return output;
}

const nx = (...args: string[]) => run(process.execPath, ['node_modules/nx/dist/bin/nx.js', ...args]);
const jest = (config: string, files: string[], env: Record<string, string> = {}, extra: string[] = []) =>
  run(
    process.execPath,
    ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--config', config, ...extra, ...files],
    env,
  );

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tenantry-generator-'));
  copyRepository(scratch);
  linkDependencies(scratch);
  nx('g', '@tenantry/tools:tenant-module', 'invoices', `--fields=${FIELDS}`);
  // What `npm install` does for a new workspace package.
  symlinkSync('../../libs/api/invoices', join(scratch, 'node_modules/@tenantry/api-invoices'));
}, STEP_MS);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('refuses a field it cannot write, saying which types it can, and writes nothing', () => {
  expect(() => nx('g', '@tenantry/tools:tenant-module', 'payments', '--fields=amount:money')).toThrow(
    /"amount:money": the type is one of string, text, int, number, bool, date/,
  );
  expect(existsSync(join(scratch, 'libs/api/payments'))).toBe(false);
  expect(() => nx('g', '@tenantry/tools:tenant-module', 'invoices', '--fields=number:string')).toThrow(
    /libs\/api\/invoices exists already/,
  );
});

test(
  'writes a module that typechecks and passes lint, registered in the API, the contracts, the migration runner and the ownership table',
  () => {
    run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'apps/api/tsconfig.json']);
    run(process.execPath, [
      'node_modules/eslint/bin/eslint.js',
      'libs/api/invoices',
      'libs/api/schema',
      'apps/api/test/invoices.e2e-spec.ts',
    ]);
    run(process.execPath, [
      'node_modules/prettier/bin/prettier.cjs',
      '--check',
      'libs/api/invoices',
      'libs/api/schema',
      'apps/api/test',
    ]);
    expect(readFileSync(join(scratch, 'apps/api/src/app.module.ts'), 'utf8')).toContain('InvoicesModule,');
    // The migration beside the module, exported on its own and run with every other module's.
    expect(readFileSync(join(scratch, 'libs/api/invoices/src/migrations/index.ts'), 'utf8')).toMatch(
      /export const MIGRATIONS = \[Invoices\d{13}\];/,
    );
    expect(readFileSync(join(scratch, 'libs/api/schema/src/all-migrations.ts'), 'utf8')).toContain('...INVOICES,');
    expect(readFileSync(join(scratch, 'libs/contracts/src/roles.ts'), 'utf8')).toContain(
      `'invoices.delete': ['owner', 'admin']`,
    );
    expect(readFileSync(join(scratch, 'docs/architecture.md'), 'utf8')).toContain(
      '| `invoices` | invoices | `InvoicesService` |',
    );
  },
  STEP_MS,
);

test(
  'serves its routes with the permissions of the matrix, and passes its own tests: CRUD, pages, validation, roles, isolation',
  () => {
    // The committed API description and route table take the new routes, as after any API change.
    jest(
      'apps/api/jest.config.js',
      ['apps/api/test/openapi.e2e-spec.ts', 'apps/api/test/route-permissions.e2e-spec.ts'],
      {
        UPDATE_OPENAPI: '1',
      },
      ['-u'],
    );
    expect(readFileSync(join(scratch, 'apps/api/openapi.json'), 'utf8')).toContain('"/api/invoices/{id}"');
    const snapshot = readFileSync(
      join(scratch, 'apps/api/test/__snapshots__/route-permissions.e2e-spec.ts.snap'),
      'utf8',
    );
    expect(snapshot).toContain('DELETE /api/invoices/:id');
    expect(snapshot).toContain('invoices.delete');
    const output = jest('apps/api/jest.config.js', ['apps/api/test/invoices.e2e-spec.ts'], {}, ['--verbose']);
    expect(output).toMatch(/Tests:\s+5 passed, 5 total/);
  },
  STEP_MS,
);

test(
  'is covered by the RLS catalog, the ownership check and the isolation probe with no edit',
  () => {
    jest('libs/api/tenancy/jest.config.js', ['libs/api/tenancy/test/rls.int-spec.ts']);
    const output = jest('apps/api/jest.config.js', [
      'apps/api/test/table-ownership.spec.ts',
      'apps/api/test/isolation-probe.e2e-spec.ts',
    ]);
    // The probe fails on a route it could not reach with a row of its own tenant: it reached the new ones.
    expect(output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
  },
  STEP_MS,
);

test(
  'writes an SPA page in the navigation that lists, adds, edits and deletes in a real browser',
  () => {
    run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'apps/web/tsconfig.json', '--noEmit']);
    run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'apps/web-e2e/tsconfig.json', '--noEmit']);
    run(process.execPath, [
      'node_modules/eslint/bin/eslint.js',
      'apps/web/src/features/invoices',
      'apps/web/src/features/app',
      'apps/web-e2e/src/invoices.e2e-spec.ts',
    ]);
    run(process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--check', 'apps/web/src', 'apps/web-e2e/src']);
    // The navigation's own expectations take the new page, after Contacts, for every role that may read it.
    const navigation = run(process.execPath, [
      'node_modules/vitest/vitest.mjs',
      'run',
      '--config',
      'apps/web/vite.config.ts',
      'src/features/app/pages.spec.ts',
    ]);
    expect(navigation).toMatch(/Tests\s+\d+ passed/);
    expect(readFileSync(join(scratch, 'apps/web/src/features/app/pages.spec.ts'), 'utf8')).toContain(
      `['Contacts', 'Invoices', 'Profile']`,
    );
    nx('run-many', '-t', 'build', '-p', 'api', 'web');
    const output = jest('apps/web-e2e/jest.config.js', ['apps/web-e2e/src/invoices.e2e-spec.ts'], {}, ['--verbose']);
    expect(output).toMatch(/Tests:\s+2 passed, 2 total/);
  },
  STEP_MS,
);
