import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from '@jest/globals';
import pg from 'pg';

/** Statements that open, scope or end a transaction: the tenancy core's, not a repository's query. */
const CONTROL =
  /^\s*(begin|start transaction|commit|rollback|savepoint|release savepoint|set local|select set_config\()/i;

/** A statement as a reviewer reads it: one clause a line, indentation of the source left out. */
const readable = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n  ');

/**
 * The SQL a repository sends, case by case, kept beside it as `<name>.repository.sql`
 * so that a changed query shows in review. Each case runs on the real database and
 * keeps every statement the driver sent meanwhile (transaction control left out).
 * `UPDATE_QUERIES=1` writes the file; otherwise a difference fails the test.
 */
export class QuerySnapshots {
  private readonly cases: string[] = [];

  private readonly file: URL;
  /** The spec that writes the file, as the file's first line names it. */
  private readonly spec: string;

  /**
   * For the repository `<repository>.repository.ts` of the library whose `test/` folder holds the spec
   * at `specUrl` (its `import.meta.url`): the file is `src/<repository>.repository.sql` beside it.
   */
  constructor(specUrl: string, repository: string) {
    this.file = new URL(`../src/${repository}.repository.sql`, specUrl);
    this.spec = fileURLToPath(specUrl).slice(fileURLToPath(new URL('../../../', import.meta.url)).length);
  }

  /** Runs `work`, keeping what it sent under `name` (say `ContactsRepository.page: search, by name`). */
  async record<T>(name: string, work: () => Promise<T>): Promise<T> {
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      if (text && !CONTROL.test(text)) sent.push(readable(text));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      return await work();
    } finally {
      pg.Client.prototype.query = query;
      if (sent.length === 0) throw new Error(`${name}: sent no query`);
      this.cases.push(`-- ${name}\n${sent.map((statement) => `${statement};`).join('\n')}`);
    }
  }

  /** The recorded cases against the committed file (or written to it, with UPDATE_QUERIES=1). */
  check(): void {
    const text = [`-- Written by ${this.spec} (UPDATE_QUERIES=1): the SQL each case sends.`, ...this.cases].join(
      '\n\n',
    );
    if (process.env.UPDATE_QUERIES === '1') writeFileSync(this.file, `${text}\n`);
    else if (!existsSync(this.file))
      throw new Error(`${this.file.pathname} is missing: run ${this.spec} with UPDATE_QUERIES=1 to write it`);
    expect(`${text}\n`).toBe(readFileSync(this.file, 'utf8'));
  }
}
