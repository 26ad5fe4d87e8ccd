import assert from 'node:assert/strict';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { createPool } from '../../../data/postgres/database.js';
import { PgRequestStore } from '../../../data/postgres/pgRequestStore.js';
import type { WorkRequest } from '../../../data/requestModel.js';
import { FakeDirectory } from '../../../fakes/fakeDirectory.js';
import { RequestEngine } from '../../../services/requests/engine.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/postgres.js';
import { holds } from '../../fixtures/registerScenario.js';
import {
  accessRequest,
  accessScenario,
  NOW,
  P,
  scenarioPolicies,
  shippedKinds,
  SYSTEMS,
} from './requestFixtures.js';

/**
 * The click's staleness check with two instances on one PostgreSQL database (two pools, two engines, as two
 * processes would have): a note written by one instance leaves the other instance's click on the first card
 * current, and clicks spread over both still decide once. Ida's Procapita request has two administrators here
 * (Erik and Göran), after her manager Karl approved.
 */
describe('request clicks on two instances sharing one PostgreSQL database', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let otherPool: ReturnType<typeof createPool>;
  let stores: PgRequestStore[] = [];

  before(async () => {
    db = await createTestDatabase();
    otherPool = createPool({ connectionString: db.url, poolMax: 10 });
  });
  after(async () => {
    await otherPool?.end();
    await db?.drop();
  });
  beforeEach(async () => {
    await db.reset();
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    stores = [];
  });

  function instances(): [RequestEngine, RequestEngine] {
    const register = accessScenario({
      roleAssignments: [holds('administrator', P.goranWestin, SYSTEMS.procapita)],
    });
    const kinds = shippedKinds();
    const policies = scenarioPolicies(kinds);
    let seq = 0;
    const engineOn = (pool: typeof otherPool, name: string) => {
      const requests = new PgRequestStore(pool, { instanceId: name });
      stores.push(requests);
      return new RequestEngine({
        requests,
        store: new MemoryRegisterStore(register),
        directory: FakeDirectory.fromPeople(register.people),
        now: () => NOW,
        newId: () => `${name}-${(seq += 1)}`,
        kinds,
        policies,
      });
    };
    return [engineOn(db.pool, 'a'), engineOn(otherPool, 'b')];
  }

  async function atAdministrators(a: RequestEngine): Promise<WorkRequest> {
    const { request } = await a.submit(accessRequest());
    const byKarl = await a.decide({
      requestId: request.id,
      version: request.version,
      actorId: P.karlStrom.id,
      outcome: 'approved',
    });
    assert.ok(byKarl.changed, 'Karl approves');
    return byKarl.request;
  }

  it('decides Erik’s click on instance b from his first card after instance a noted Göran unreachable', async () => {
    const [a, b] = instances();
    const card = await atAdministrators(a);
    const noted = await a.noteUnreachable({
      requestId: card.id,
      personId: P.goranWestin.id,
      reason: 'noConversation',
    });
    assert.ok(noted.changed, 'noted on instance a');

    const byErik = await b.decide({
      requestId: card.id,
      version: card.version,
      actorId: P.erikLund.id,
      outcome: 'approved',
    });

    assert.ok(byErik.changed, 'the first card decides on the other instance');
    const stored = await a.get(card.id);
    assert.equal(stored.version, card.version + 2);
    assert.equal(stored.stages[1]?.decision?.by, P.erikLund.id);
    const late = await a.decide({
      requestId: card.id,
      version: card.version,
      actorId: P.goranWestin.id,
      outcome: 'rejected',
      reason: 'Nej',
    });
    assert.ok(!late.changed, 'Göran’s click on the same first card, after Erik’s decision, changes nothing');
  });

  it('settles 20 clicks by Erik and Göran on the first card, spread over both instances after a note: one decision', async () => {
    const [a, b] = instances();
    const card = await atAdministrators(a);
    await b.addNote({ requestId: card.id, version: card.version, actorId: P.idaSjo.id, text: 'Brådskande' });
    const clicks = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        (n % 2 === 0 ? a : b).decide({
          requestId: card.id,
          version: card.version,
          actorId: n % 4 < 2 ? P.erikLund.id : P.goranWestin.id,
          outcome: 'approved',
        }),
      ),
    );
    assert.equal(clicks.filter((c) => c.changed).length, 1, 'one decision');
    const stored = await b.get(card.id);
    assert.equal(stored.version, card.version + 2, 'the note and one decision');
    assert.ok(
      clicks.every((c) => c.changed || c.request.version === stored.version),
      'every other click is answered with the decided request',
    );
  });
});
