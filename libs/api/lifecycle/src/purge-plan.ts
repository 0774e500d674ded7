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
  for (const e of edges) if (e.child !== e.parent && children.has(e.parent) && children.has(e.child)) children.get(e.parent)!.add(e.child);
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
