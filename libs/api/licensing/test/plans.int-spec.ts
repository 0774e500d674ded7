import pg from 'pg';
import { TestData } from '@tenantry/testing/factories';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';

let db: TestDatabase;
let data: TestData;
let app: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  data = new TestData(db.platformUrl);
  app = new pg.Pool({ connectionString: db.appUrl, max: 1 });
});

afterAll(async () => {
  await app.end();
  await data.close();
  await db.drop();
});

describe('plans catalog', () => {
  it('is seeded with free, starter, pro and enterprise, from 5 seats to unlimited', async () => {
    const { rows } = await app.query<{ code: string; seats: number | null }>(
      'select code, seats from plans order by sort_order',
    );
    expect(rows).toEqual([
      { code: 'free', seats: 5 },
      { code: 'starter', seats: 10 },
      { code: 'pro', seats: 50 },
      { code: 'enterprise', seats: null },
    ]);
  });

  it('can be extended and edited by the app role (the console, for super admins only) but never loses a plan', async () => {
    await expect(app.query(`delete from plans where code = 'free'`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`truncate plans`)).rejects.toThrow(/permission denied/);
    await app.query(`insert into plans (code, name, seats) values ('team', 'Team', 20)`);
    await app.query(`update plans set seats = 25 where code = 'team'`);
    expect((await app.query('select seats from plans where code = $1', ['team'])).rows).toEqual([{ seats: 25 }]);
  });

  it('holds every tenant plan: an unknown plan is refused', async () => {
    await expect(data.aTenant({ plan: 'gold' })).rejects.toThrow(/tenants_plan_fk/);
  });
});
