import type { EntityManager } from 'typeorm';

/**
 * SQL over the tenant tables an archive holds, whichever they are (their
 * names come from the tenant catalog, never from a request): the export reads
 * them in its snapshot transaction, the import writes them in the platform
 * role's; both pass that transaction (`m`).
 */

/** How many rows of `table` the tenant has. */
export async function countRows(m: EntityManager, table: string, tenantId: string): Promise<number> {
  return Number((await m.query(`select count(*) as n from "${table}" where tenant_id = $1`, [tenantId]))[0].n);
}

/** The ids of the users the tenant's rows point at, through each of `references` (a table and a column naming a user). */
export async function referencedUserIds(
  m: EntityManager,
  references: { table: string; column: string }[],
  tenantId: string,
): Promise<string[]> {
  const referencing = references.map(
    ({ table, column }) => `select "${column}" as id from "${table}" where tenant_id = $1`,
  );
  const userIds: { id: string | null }[] = referencing.length
    ? await m.query(referencing.join(' union '), [tenantId])
    : [];
  return userIds.flatMap((r) => (r.id ? [r.id] : []));
}

/** The columns of each of `tables`, in their order. */
export async function columnsOf(m: EntityManager, tables: string[]): Promise<{ table: string; column: string }[]> {
  return m.query(
    `select c.relname as table, a.attname as column from pg_attribute a join pg_class c on c.oid = a.attrelid
        join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
       where c.relname = any($1) and a.attnum > 0 and not a.attisdropped order by c.relname, a.attnum`,
    [tables],
  );
}

/** Opens the cursor `fetchRows` reads: the tenant's rows of `table`, each as JSON text. */
export async function openRowCursor(m: EntityManager, table: string, tenantId: string): Promise<void> {
  await m.query(
    `declare export_rows no scroll cursor for select row_to_json(x)::text as j from "${table}" x where tenant_id = $1`,
    [tenantId],
  );
}

/** The next `count` rows of the open cursor (none once it is read through). */
export async function fetchRows(m: EntityManager, count: number): Promise<string[]> {
  const rows: { j: string }[] = await m.query(`fetch ${count} from export_rows`);
  return rows.map((r) => r.j);
}

export async function closeRowCursor(m: EntityManager): Promise<void> {
  await m.query('close export_rows');
}

/** The columns `table` has in this database. */
export async function columnNames(m: EntityManager, table: string): Promise<string[]> {
  const rows: { column: string }[] = await m.query(
    `select a.attname as column from pg_attribute a where a.attrelid = ('public.' || quote_ident($1))::regclass and a.attnum > 0 and not a.attisdropped`,
    [table],
  );
  return rows.map((r) => r.column);
}

/** Inserts `rows` (as an archive holds them) into `table`, `columns` only (quoted), read as PostgreSQL reads its own JSON. */
export async function insertRows(
  m: EntityManager,
  table: string,
  columns: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  await m.query(
    `insert into "${table}" (${columns}) select ${columns} from json_populate_recordset(null::"${table}", $1::json)`,
    [JSON.stringify(rows)],
  );
}
