// B0, the ceiling: plain node:http + pg answering the same contacts page.
//   BASELINE_MODE=plain (B0):   one query with an explicit `WHERE tenant_id = $1` (a role without RLS);
//   BASELINE_MODE=tx    (B0tx): the API's database work, nothing else (app role, forced RLS,
//                               BEGIN / transaction-local set_config / SELECT / COMMIT).
import http from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX ?? 20) });
pool.on('error', () => undefined);
const COLUMNS = `id, name, email, company, tags, notes, created_at as "createdAt", updated_at as "updatedAt"`;
const PLAIN = `select ${COLUMNS} from contacts where tenant_id = $1 order by created_at desc, id desc limit 21`;
const SCOPED = `select ${COLUMNS} from contacts order by created_at desc, id desc limit 21`;

async function page(tenantId) {
  if (process.env.BASELINE_MODE === 'plain') return (await pool.query(PLAIN, [tenantId])).rows;
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
    const { rows } = await client.query(SCOPED);
    await client.query('commit');
    return rows;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

http
  .createServer(async (req, res) => {
    try {
      const rows = await page(req.headers['x-tenant-id']);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: rows.slice(0, 20), nextCursor: rows.length > 20 ? 'more' : null }));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('baseline ready'));

// A normal exit on the bench's SIGINT, so that --profile's CPU profile gets written.
process.on('SIGINT', () => process.exit(0));
