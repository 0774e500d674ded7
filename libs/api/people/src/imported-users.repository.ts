import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** A user as an export's archive keeps them. */
export interface ArchivedUser {
  id: string;
  email: string;
  display_name: string;
  email_verified_at: string | null;
  created_at: string;
}

/**
 * The account an imported archive's user becomes: the existing account of
 * their (normalized) address, or a new one without a password, under the same
 * id when it is free. For the import tool, which writes through the platform
 * role's connection outside any request (hence the manager it passes).
 */
export async function importArchivedUser(
  m: EntityManager,
  user: ArchivedUser,
): Promise<{ id: string; created: boolean }> {
  const [found]: { id: string }[] = await m.query('select id from users where email = $1', [user.email]);
  if (found) return { id: found.id, created: false };
  const [taken] = await m.query('select 1 from users where id = $1', [user.id]);
  const id = taken ? randomUUID() : user.id;
  await m.query(
    'insert into users (id, email, display_name, email_verified_at, created_at) values ($1, $2, $3, $4, $5)',
    [id, user.email, user.display_name, user.email_verified_at, user.created_at],
  );
  return { id, created: true };
}
