import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationInterface } from 'typeorm';
import { inTimestampOrder, type Migration, MIGRATIONS } from './all-migrations.js';

const libs = fileURLToPath(new URL('../../', import.meta.url));

/** A migration class named `name`, as TypeORM sees one. */
function migration(name: string): Migration {
  const named = {
    [name]: class implements MigrationInterface {
      async up(): Promise<void> {}
      async down(): Promise<void> {}
    },
  };
  return named[name];
}

/** The class of every migration file beside a module (`libs/api/<module>/src/migrations/<timestamp>-<name>.ts`). */
function migrationFiles(): string[] {
  return readdirSync(libs)
    .map((lib) => join(libs, lib, 'src/migrations'))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) =>
      readdirSync(dir)
        .filter((file) => /^\d{13}-[a-z0-9-]+\.ts$/.test(file))
        .map((file) => /export class (\w+)/.exec(readFileSync(join(dir, file), 'utf8'))?.[1] ?? file),
    );
}

describe('the migrations of every module', () => {
  it('runs each migration file beside a module, once, oldest first', () => {
    const names = MIGRATIONS.map((m) => m.name);
    expect(names).toEqual(migrationFiles().sort((a, b) => a.slice(-13).localeCompare(b.slice(-13))));
    expect(names[0]).toBe('Foundation1763800000000');
  });

  it('orders by timestamp, whichever module each comes from', () => {
    const [a, b, c] = ['Later1766400000000', 'First1763800000000', 'Between1765000000000'].map(migration);
    expect(inTimestampOrder([a, b, c]).map((m) => m.name)).toEqual([
      'First1763800000000',
      'Between1765000000000',
      'Later1766400000000',
    ]);
  });

  it('refuses two migrations with one timestamp, naming both', () => {
    expect(() => inTimestampOrder([migration('Invoices1766400000000'), migration('Orders1766400000000')])).toThrow(
      'Migrations Invoices1766400000000 and Orders1766400000000 share the timestamp 1766400000000',
    );
  });

  it('refuses a migration whose name carries no timestamp', () => {
    expect(() => inTimestampOrder([migration('Invoices')])).toThrow('Migration Invoices: its name must end in');
  });
});
