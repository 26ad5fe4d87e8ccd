import assert from 'node:assert/strict';
import { ANSVAR_TABLES } from '../../../data/postgres/database.js';
import { openPgRegisterStore } from '../../../data/postgres/pgRegisterStore.js';
import { PgRequestStore } from '../../../data/postgres/pgRequestStore.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/postgres.js';
import { describeRegisterStoreContract } from '../registerStoreContract.js';
import { describeRequestStoreContract } from '../requestStoreContract.js';

describe('PostgreSQL stores on a real database (store contracts)', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.drop();
  });

  it('has, after migration, every table the stores and the reset use', async () => {
    const found = await db.pool.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    );
    const tables = new Set(found.rows.map((r) => r.tablename));
    assert.deepEqual(
      ANSVAR_TABLES.filter((t) => !tables.has(t)),
      [],
      'tables missing after the migrations ran',
    );
  });

  describeRegisterStoreContract('PgRegisterStore', async () => {
    await db.reset();
    return openPgRegisterStore(db.pool);
  });
  describeRequestStoreContract('PgRequestStore', async () => {
    await db.reset();
    return new PgRequestStore(db.pool);
  });
});
