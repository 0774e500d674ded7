import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * Data ownership, read from the code. One owner per table: docs/architecture.md names each table's module, and no
 * other module may name the table in SQL or use its entity; others call the owner's public service. Each module's
 * migrations create and alter its own tables only (the tenancy core's shared history apart).
 */

/** The tenancy core: the transaction (and its lazy commits), the catalog, the databases and the mover speak SQL themselves. */
const TENANCY_CORE = [
  'libs/api/tenancy/src/lazy-commits.ts',
  'libs/api/tenancy/src/platform-database.ts',
  'libs/api/tenancy/src/tenant-catalog.ts',
  'libs/api/tenancy/src/tenant-data-sources.ts',
  'libs/api/tenancy/src/tenant-databases.ts',
  'libs/api/tenancy/src/tenant-db.ts',
  'libs/api/tenancy/src/tenant-mover.ts',
  'libs/api/tenancy/src/tenant-table.ts',
  'libs/api/tenancy/src/tenant-transaction.ts',
];

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Source files below `dir` (relative to the repository), tests and build output left out. */
function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name),
    )
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length))
    .filter((path) => !path.includes('/dist/'));
}

/** Code without its comments, so prose that mentions a table counts for nothing. */
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

const owners = new Map(
  [...read('docs/architecture.md').matchAll(/^\| `([a-z_]+)` \| ([a-z-]+) \|/gm)].map((m) => [m[1], m[2]] as const),
);
const isMigration = (path: string) => /^libs\/api\/[^/]+\/src\/migrations\//.test(path);

/** Every migration, beside the module that owns its tables: `libs/api/<module>/src/migrations/<timestamp>-<name>.ts`. */
const migrationFiles = readdirSync(join(root, 'libs/api'))
  .filter((module) => existsSync(join(root, `libs/api/${module}/src/migrations`)))
  .flatMap((module) =>
    sources(`libs/api/${module}/src/migrations`)
      .filter((path) => /\/\d{13}-[a-z0-9-]+\.ts$/.test(path))
      .map((path) => ({ module, path, timestamp: Number(/\/(\d{13})-/.exec(path)![1]) })),
  );
const migrations = migrationFiles.map(({ path }) => read(path)).join('\n');
const tables = new Set(
  [...migrations.matchAll(/create table (?:if not exists )?([a-z_]+)|createTenantTable\(\s*\w+,\s*'([a-z_]+)'/g)].map(
    (m) => m[1] ?? m[2],
  ),
);

/**
 * The tenancy core's migrations up to this timestamp are the schema's shared history: written before each table had
 * one owner, some create or alter several modules' tables, and databases know them by name, so they are not split.
 */
const SHARED_HISTORY_END = 1766300000000;

/** A table named in SQL, or a name built at run time (which no check can read). */
const TABLE = String.raw`(\$\{[^}]*\}|[a-z_]+)`;
/** What a migration creates or alters: tables, columns, indexes, policies, grants, and rows it writes (not what it only references or reads). */
const TOUCHES = [
  String.raw`create table (?:if not exists )?${TABLE}`,
  String.raw`createTenantTable\(\s*\w+,\s*'${TABLE}'`,
  String.raw`(?:alter|drop) table (?:if exists )?${TABLE}`,
  String.raw`create (?:unique )?index (?:if not exists )?\S+ on ${TABLE}`,
  String.raw`(?:create|alter|drop) policy \S+ on ${TABLE}`,
  String.raw`(?:insert into|delete from) ${TABLE}`,
  String.raw`update ${TABLE}\s+set\b`,
].map((pattern) => new RegExp(`\\b${pattern}`, 'gi'));
const GRANTS =
  /\b(?:grant|revoke)\b[^`;]*?\bon ((?:\$\{[^}]*\}|[a-z_]+)(?:,\s*(?:\$\{[^}]*\}|[a-z_]+))*)\s+(?:to|from)\b/gi;

/** The tables a migration's code creates or alters. */
function tablesTouched(code: string): string[] {
  const text = withoutComments(code);
  const named = TOUCHES.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]));
  for (const m of text.matchAll(GRANTS)) named.push(...m[1].split(/,\s*/));
  return [...new Set(named.map((name) => name.toLowerCase()))].sort();
}

// Each module's code: the libraries, and the app itself (its operator CLIs apart), migrations left to their own check.
const modules = new Map<string, string>(
  readdirSync(join(root, 'libs/api')).map((name) => [
    name,
    sources(`libs/api/${name}/src`)
      .filter((path) => !isMigration(path))
      .map((path) => withoutComments(read(path)))
      .join('\n'),
  ]),
);
modules.set(
  'app',
  sources('apps/api/src')
    .filter((path) => !path.includes('/cli/'))
    .map((path) => withoutComments(read(path)))
    .join('\n'),
);

/** Entity class → its table, and the module that declares it. */
const entities = new Map<string, { table: string; module: string }>();
for (const [module, code] of modules) {
  for (const m of code.matchAll(/@Entity\('([a-z_]+)'\)\s*(?:export )?class (\w+)/g))
    entities.set(m[2], { table: m[1], module });
}

function crossings(): string[] {
  const found = new Set<string>();
  for (const [module, code] of modules) {
    for (const table of tables) {
      const sql = new RegExp(`\\b(?:from|join|into|update|table)\\s+"?${table}"?\\b`, 'i');
      if (owners.get(table) !== module && sql.test(code)) found.add(`${module} → ${table}`);
    }
    for (const m of code.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@tenantry\/api-[a-z-]+'/g)) {
      for (const name of m[1].split(',').map((part) =>
        part
          .replace(/^\s*type\s+/, '')
          .split(' as ')[0]
          .trim(),
      )) {
        const entity = entities.get(name);
        if (entity && owners.get(entity.table) !== module) found.add(`${module} → ${entity.table}`);
      }
    }
  }
  return [...found].sort();
}

describe('where SQL lives', () => {
  it('only in repositories and the tenancy core', () => {
    const speakingSql = readdirSync(join(root, 'libs/api'))
      .flatMap((name) => sources(`libs/api/${name}/src`))
      .filter((path) => !isMigration(path))
      .concat(sources('apps/api/src').filter((path) => !path.includes('/cli/')))
      .filter((path) => /\.query\(|createQueryBuilder/.test(withoutComments(read(path))))
      .filter(
        (path) => !path.endsWith('.repository.ts') && !path.includes('/repositories/') && !TENANCY_CORE.includes(path),
      );
    expect(speakingSql).toEqual([]);
  });
});

describe('table ownership', () => {
  it('names an owning module for every table the migrations create, and only those', () => {
    expect([...owners.keys()].sort()).toEqual([...tables].sort());
    for (const module of owners.values()) expect(modules.has(module)).toBe(true);
  });

  it('declares every entity in the module that owns its table', () => {
    const misplaced = [...entities].filter(([, e]) => owners.get(e.table) !== e.module).map(([name]) => name);
    expect(misplaced).toEqual([]);
  });

  it('finds no module touching a table it does not own', () => {
    expect(crossings()).toEqual([]);
  });
});

describe('migrations beside their modules', () => {
  it('reads the tables every migration creates or alters', () => {
    expect(migrationFiles.length).toBeGreaterThan(20);
    expect(migrationFiles.filter(({ path }) => tablesTouched(read(path)).length === 0)).toEqual([]);
    expect(tablesTouched('await q.query(`grant select, update (name) on tenants, plans to ${APP_ROLE}`);')).toEqual([
      'plans',
      'tenants',
    ]);
  });

  it("lets a migration outside the tenancy core's shared history create or alter only its own module's tables", () => {
    const strays = migrationFiles
      .filter(({ module, timestamp }) => module !== 'tenancy' || timestamp > SHARED_HISTORY_END)
      .flatMap(({ module, path }) =>
        tablesTouched(read(path))
          .filter((table) => owners.get(table) !== module)
          .map((table) => `${path} → ${table} (${owners.get(table) ?? 'no owner'}'s)`),
      );
    expect(strays).toEqual([]);
  });
});
