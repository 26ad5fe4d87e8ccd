import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { PgAuditLog } from '../../data/postgres/pgAuditLog.js';
import type { AuditEvent, WorkRequest } from '../../data/requestModel.js';
import { channelMessage, postActivity } from '../../fakes/channelClient.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/postgres.js';
import type { ServerProcess as Server } from '../fixtures/serverProcess.js';
import {
  cardAction,
  from,
  greet,
  INGRID,
  inPersonalChat,
  LINA,
  MONA,
  monaAsksForRaindance,
  sendsTo,
  until,
  type TeamsUser,
} from '../fixtures/gatedChannel.js';
import { MONA_ORDERS_PROJECTORS, STORSJO } from '../fixtures/sampleApp.js';
import { useServerProcesses } from '../fixtures/testServer.js';

const TOBIAS = inPersonalChat(STORSJO.tobias);
/** Everyone on the route of Mona's order besides Lina: the other orderer of her unit and the IT unit. */
const EQUIPMENT_ROUTE = [STORSJO.fredrik, STORSJO.magnus, STORSJO.josefin, STORSJO.aida, STORSJO.patrik]
  .map(inPersonalChat)
  .concat(TOBIAS);

/**
 * Two real server processes (`node --import tsx bot/server.ts`, local mode) on two ports and one PostgreSQL
 * database. Mona asks on one instance, Lina approves on the other while the channel hangs, and the instance that
 * claimed the notifications is SIGKILLed in the middle of delivering them (a repeated invoke reaching the other
 * instance is answered with the first answer, not executed again): the other takes them over once the claim
 * lapses, and Ingrid gets her decide card exactly once, Mona her status once. Clicks on both instances at once make
 * one decision; the daily digest of one due time runs on one instance; an equipment order submitted on one
 * instance and decided step by step on the other is delivered once and registers its items once; the audit chain
 * verifies.
 */

describe('two instances on one PostgreSQL database', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  const processes = useServerProcesses({ once: true });
  const { connector, gate } = processes;
  before(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  // After the fixture has killed the processes.
  after(async () => {
    await db?.drop();
  });

  const start = (name: string, digestAt: Date) =>
    processes.start({
      dir: name,
      env: {
        DATABASE_URL: db.url,
        ANSVAR_INSTANCE_ID: name,
        OUTBOX_LEASE_SECONDS: '5',
        OUTBOX_POLL_SECONDS: '1',
        HYGIENE_TIME_ZONE: 'UTC',
        HYGIENE_SCHEDULE: `${digestAt.getUTCSeconds()} ${digestAt.getUTCMinutes()} ${digestAt.getUTCHours()} * * *`,
      },
    });

  it('decides once, delivers every notification once across a SIGKILL, runs the digest once, and carries an equipment order across both', async () => {
    const digestAt = new Date(Math.ceil((Date.now() + 25_000) / 1000) * 1000);
    // The first start migrates the schema and loads the sample register; the second finds both done.
    const a = await start('a', digestAt);
    const b = await start('b', digestAt);

    // Everyone has opened the bot once, on either instance: the references are in the database.
    await greet(connector, gate.serviceUrl, [
      [MONA, a],
      [LINA, b],
      [INGRID, a],
    ]);

    // Mona asks on instance a; Lina's decide card is sent once, by one of the instances.
    const requestId = randomUUID();
    const submitted = await postActivity(a.url, monaAsksForRaindance(requestId, gate.serviceUrl));
    assert.equal(submitted.status, 200);
    await until(() => sendsTo(connector.calls, LINA).length >= 1, 'Lina’s decide card');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(sendsTo(connector.calls, LINA).length, 1, 'Lina’s decide card exactly once');

    // The channel hangs. Lina approves on b; Teams, missing the answer, sends the same invoke again, to a.
    gate.hold();
    const heldBefore = gate.held;
    const approve = cardAction(LINA, 'request.approve', { requestId, version: 1 }, gate.serviceUrl);
    const first = await postActivity(b.url, approve);
    const repeat = await postActivity(a.url, approve);
    assert.equal(first.status, 200);
    assert.equal(repeat.status, 200);
    assert.deepEqual(
      repeat.json(),
      first.json(),
      'the repeat gets the first answer, not an "already decided"',
    );
    // More clicks on both instances at once (a double click, a colleague's card): still one decision.
    const clicks = await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        postActivity(
          (n % 2 === 0 ? b : a).url,
          cardAction(LINA, 'request.approve', { requestId, version: 1 }, gate.serviceUrl),
        ),
      ),
    );
    assert.ok(
      clicks.every((c) => c.status === 200),
      `every click is answered: ${clicks.map((c) => c.status).join(', ')}`,
    );
    await until(() => gate.held > heldBefore, 'a notification attempt reaching the hung channel');

    // Kill the instance that holds the notifications' claim, in the middle of delivering.
    const claimedBy = await db.pool.query<{ claimed_by: string }>(
      'SELECT DISTINCT claimed_by FROM outbox WHERE request_id = $1 AND claimed_by IS NOT NULL',
      [requestId],
    );
    assert.equal(claimedBy.rows.length, 1, 'one instance holds the claims');
    const victim = claimedBy.rows[0]!.claimed_by === 'a' ? a : b;
    const survivor = victim === a ? b : a;
    victim.child.kill('SIGKILL');
    await victim.exited;
    assert.equal(sendsTo(connector.calls, INGRID).length, 0, 'Ingrid was not notified before the crash');
    const monaBefore = sendsTo(connector.calls, MONA).length;

    // The channel answers again; the survivor takes the lapsed claims over.
    gate.release();
    await until(() => sendsTo(connector.calls, INGRID).length >= 1, 'Ingrid’s decide card from the survivor');
    await until(() => sendsTo(connector.calls, MONA).length > monaBefore, 'Mona’s status from the survivor');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const toIngrid = sendsTo(connector.calls, INGRID);
    assert.equal(toIngrid.length, 1, 'Ingrid’s decide card exactly once');
    assert.match(JSON.stringify(toIngrid[0]?.body), new RegExp(requestId));
    assert.equal(sendsTo(connector.calls, MONA).length, monaBefore + 1, 'Mona is told of the approval once');

    // A new instance joins while the survivor runs.
    const c = await start('c', digestAt);
    await until(() => Date.now() > digestAt.getTime() + 4000, 'the digest’s due time', 60_000);
    const runs = await db.pool.query<{ instance: string }>(
      `SELECT instance FROM schedule_runs WHERE job = 'hygiene-digest'`,
    );
    // At the due time two instances ran (a and b, or the survivor and c): one of them claimed it.
    assert.equal(runs.rows.length, 1, 'the due time was claimed once');

    // An equipment order (issue 12): Mona orders on one instance, every step is clicked on the other; each card of
    // the order and each of Mona's notices is delivered once, the delivered items are registered once.
    for (const person of EQUIPMENT_ROUTE) {
      const before = sendsTo(connector.calls, person).length;
      const res = await postActivity(
        c.url,
        channelMessage({ ...from(person, gate.serviceUrl), text: 'hej' }),
      );
      assert.equal(res.status, 200);
      await until(() => sendsTo(connector.calls, person).length > before, `${person.name}’s greeting`);
    }
    const monaBeforeOrder = sendsTo(connector.calls, MONA).length;
    const orderId = randomUUID();
    const ordered = await postActivity(
      survivor.url,
      cardAction(MONA, 'equipment.submit', { formId: orderId, ...MONA_ORDERS_PROJECTORS }, gate.serviceUrl),
    );
    assert.equal(ordered.status, 200);
    const stored = async () => {
      const { rows } = await db.pool.query<{ doc: WorkRequest }>('SELECT doc FROM requests WHERE id = $1', [
        orderId,
      ]);
      assert.ok(rows[0], 'the order is stored');
      return rows[0].doc;
    };
    const act = async (person: TeamsUser, verb: string, server: Server, values: object = {}) => {
      const request = await stored();
      const res = await postActivity(
        server.url,
        cardAction(
          person,
          verb,
          { requestId: orderId, version: request.version, ...values },
          gate.serviceUrl,
        ),
      );
      assert.equal(res.status, 200, `${person.name} ${verb}`);
      const after = await stored();
      assert.equal(after.version, request.version + 1, `${person.name} ${verb} changed the order once`);
    };
    await act(LINA, 'request.approve', c);
    await act(TOBIAS, 'task.done', survivor, { cost: '7 990', delivery: 'Två veckor' });
    await act(LINA, 'request.approve', c);
    await act(TOBIAS, 'task.done', survivor, { note: 'Beställd hos Atea' });
    await act(TOBIAS, 'task.done', c, {
      assetTags: 'ST-4711\nST-4712',
      location: 'Vårdcentralen Storsjö, rum 201 och 202',
      holder: 'Konferensrum Storsjön',
    });
    await act(TOBIAS, 'task.done', survivor);
    assert.equal((await stored()).status, 'done');
    const outboxLeft = async () =>
      Number(
        (
          await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE request_id = $1', [
            orderId,
          ])
        ).rows[0]?.n,
      );
    const deadline = Date.now() + 30_000;
    while ((await outboxLeft()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await outboxLeft(), 0, 'every notification of the order was delivered');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(
      sendsTo(connector.calls, MONA).length,
      monaBeforeOrder + 6,
      'Mona is told of each of the six steps once',
    );
    const items = await db.pool.query<{ doc: { assetTag: string } }>(
      `SELECT doc FROM inventory WHERE doc->>'requestId' = $1 ORDER BY doc->>'assetTag'`,
      [orderId],
    );
    assert.deepEqual(
      items.rows.map((r) => r.doc.assetTag),
      ['ST-4711', 'ST-4712'],
      'the delivered items are registered once',
    );

    for (const server of [survivor, c]) {
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    }
    const log = new PgAuditLog(db.pool);
    const events: AuditEvent[] = [];
    for await (const event of log.read()) events.push(event);
    const decided = events.filter((e) => e.requestId === requestId && e.type === 'decided');
    assert.equal(decided.length, 1, 'the decision is in the audit log once');
    assert.equal(decided[0]?.actor, LINA.email);
    assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'no audit record twice');
    const orderEvents = events.filter((e) => e.requestId === orderId);
    assert.deepEqual(
      orderEvents
        .filter((e) => e.type === 'decided' || e.type === 'carried_out')
        .map((e) => [e.actor, e.details?.step ?? e.details?.stage]),
      [
        [LINA.email, 'it_orderer'],
        [TOBIAS.email, 'quote'],
        [LINA.email, 'accept_quote'],
        [TOBIAS.email, 'order'],
        [TOBIAS.email, 'deliver'],
        [TOBIAS.email, 'install'],
      ],
      'each step of the order decided once',
    );
    assert.equal(orderEvents.filter((e) => e.type === 'inventory_registered').length, 2);
    const delivered = orderEvents
      .filter((e) => e.type === 'card_delivered')
      .map((e) => String(e.details?.outboxItemId));
    assert.ok(delivered.length > 0, 'the order’s cards were delivered');
    assert.equal(new Set(delivered).size, delivered.length, 'no card of the order delivered twice');
    const digests = events.filter((e) => e.type === 'hygiene_digest');
    assert.ok(digests.length > 0, 'the digest ran');
    const organisations = digests.map((e) => e.organisationId);
    assert.equal(new Set(organisations).size, organisations.length, 'one digest per organisation');
  });
});
