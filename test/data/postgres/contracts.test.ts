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

  describeRegisterStoreContract('PgRegisterStore', async () => {
    await db.reset();
    return openPgRegisterStore(db.pool);
  });
  describeRequestStoreContract('PgRequestStore', async () => {
    await db.reset();
    return new PgRequestStore(db.pool);
  });
});
