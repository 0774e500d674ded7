import type { EntityManager } from 'typeorm';

/**
 * Whether the catalog has a plan with this code, asked in the caller's
 * transaction `m`: for the import tool, which works through the platform
 * role's connection outside the app (PlanCatalog itself reads through the
 * request's transaction, with a cache).
 */
export async function planExists(m: EntityManager, code: unknown): Promise<boolean> {
  const [plan]: { code: string }[] = await m.query('select code from plans where code = $1', [code]);
  return Boolean(plan);
}
