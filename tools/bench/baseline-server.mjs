// B0, the ceiling: plain node:http + pg answering the same contacts page with
// the same database work as the API (app role, forced RLS, transaction-local
// tenant: BEGIN, set_config, SELECT, COMMIT) and nothing else.
import http from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX ?? 20) });
pool.on('error', () => undefined);
const LIST = `select id, name, email, company, tags, notes, created_at as "createdAt", updated_at as "updatedAt"
  from contacts order by created_at desc, id desc limit 21`;

http
  .createServer(async (req, res) => {
    const tenantId = req.headers['x-tenant-id'];
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
      const { rows } = await client.query(LIST);
      await client.query('commit');
      const items = rows.slice(0, 20);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items, nextCursor: rows.length > 20 ? 'more' : null }));
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      res.writeHead(500).end(String(error));
    } finally {
      client.release();
    }
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('baseline ready'));
