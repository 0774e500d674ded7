/** A foreign key between two tenant tables: rows of `child` point at rows of `parent`. */
export interface TableEdge {
  child: string;
  parent: string;
}

/**
 * The order to empty tenant tables in: every table after the tables whose
 * rows point at it (children first), so no delete trips a foreign key.
 * Tables on a cycle (none today) come last in name order.
 */
export function deletionOrder(tables: string[], edges: TableEdge[]): string[] {
  const children = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const e of edges)
    if (e.child !== e.parent && children.has(e.parent) && children.has(e.child)) children.get(e.parent)!.add(e.child);
  const done = new Set<string>();
  const order: string[] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (const t of [...tables].sort()) {
      if (done.has(t) || [...children.get(t)!].some((c) => !done.has(c))) continue;
      done.add(t);
      order.push(t);
      progress = true;
    }
  }
  return [...order, ...tables.filter((t) => !done.has(t)).sort()];
}

/** The tenant tables as the database describes them, and how they point at each other and at users. */
export interface TenantCatalog {
  /** Every table with a `tenant_id` column (but `tenants`), parents before children: the order to fill them in. */
  tables: string[];
  /** The order to empty them in (children first). */
  deletionOrder: string[];
  /** Per table, its columns that point at `users(id)` (an import maps them to the users of the target database). */
  userColumns: Record<string, string[]>;
}

/**
 * Reads the catalog of tenant tables from PostgreSQL itself, so the purge,
 * the export and the import cover a table the day a migration adds it — no
 * list kept by hand.
 */
export async function readTenantCatalog(db: {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}): Promise<TenantCatalog> {
  const tables = (await db.query(`
    select c.relname as name from pg_class c
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
     where c.relkind in ('r', 'p') and c.relname <> 'tenants'`)) as { name: string }[];
  const edges = (await db.query(`
    select child.relname as child, parent.relname as parent from pg_constraint con
      join pg_class child on child.oid = con.conrelid join pg_class parent on parent.oid = con.confrelid
     where con.contype = 'f'`)) as TableEdge[];
  const userRefs = (await db.query(`
    select child.relname as table, a.attname as column from pg_constraint con
      join pg_class child on child.oid = con.conrelid
      join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
     where con.contype = 'f' and con.confrelid = 'public.users'::regclass and array_length(con.conkey, 1) = 1`)) as {
    table: string;
    column: string;
  }[];
  const names = tables.map((t) => t.name);
  const order = deletionOrder(names, edges);
  const userColumns: Record<string, string[]> = {};
  for (const ref of userRefs) if (names.includes(ref.table)) (userColumns[ref.table] ??= []).push(ref.column);
  return { tables: [...order].reverse(), deletionOrder: order, userColumns };
}
