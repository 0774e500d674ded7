import pg from 'pg';
import { TestData } from '../../../../tools/testing/factories.js';
import { createTestDatabase, type TestDatabase } from '../../../../tools/testing/test-database.js';

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
    const { rows } = await app.query<{ code: string; seats: number | null }>('select code, seats from plans order by sort_order');
    expect(rows).toEqual([
      { code: 'free', seats: 5 },
      { code: 'starter', seats: 10 },
      { code: 'pro', seats: 50 },
      { code: 'enterprise', seats: null },
    ]);
  });

  it('is read-only to the app role: a tenant can never raise its own limits', async () => {
    await expect(app.query(`update plans set seats = 1000 where code = 'free'`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`insert into plans (code, name) values ('mine', 'Mine')`)).rejects.toThrow(/permission denied/);
  });

  it('holds every tenant plan: an unknown plan is refused', async () => {
    await expect(data.aTenant({ plan: 'gold' })).rejects.toThrow(/tenants_plan_fk/);
  });
});
