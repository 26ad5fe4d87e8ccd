import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { readAuditFile } from '../../data/lowdb/auditLogFile.js';
import type { AuditEvent } from '../../data/requestModel.js';
import { postActivity } from '../../fakes/channelClient.js';
import {
  cardAction,
  greet,
  INGRID,
  LINA,
  MONA,
  monaAsksForRaindance,
  sendsTo,
  until,
} from '../fixtures/gatedChannel.js';
import { useServerProcesses } from '../fixtures/testServer.js';

/**
 * A crash between a decision and its notification: the real server process (`node --import tsx bot/server.ts`,
 * local mode, sample register, temp data dir) takes Lina's approve click, commits the decision with its outbox
 * items, and is SIGKILLed while the notifications hang at the channel (a gate in front of the fake connector holds
 * every outbound call, so none is delivered). After a restart on the same data dir, with the channel answering
 * again, Ingrid gets her decide card exactly once and Mona her status once; the audit log holds the decision once.
 */

describe('restart between a decision and its notification', function () {
  this.timeout(90_000);
  const processes = useServerProcesses();
  const { connector, gate } = processes;
  const start = () => processes.start();

  it('sends Ingrid her decide card and Mona her status exactly once after a SIGKILL, and logs the decision once', async () => {
    const first = await start();

    // Everyone has opened the bot once: their conversation references are kept.
    await greet(
      connector,
      gate.serviceUrl,
      [MONA, LINA, INGRID].map((person) => [person, first] as const),
    );

    // Mona asks for Raindance; Lina (her manager) gets the decide card.
    const requestId = randomUUID();
    const submitted = await postActivity(first.url, monaAsksForRaindance(requestId, gate.serviceUrl));
    assert.equal(submitted.status, 200);
    await until(() => sendsTo(connector.calls, LINA).length >= 1, 'Lina’s decide card');
    // Let the first delivery pass finish its bookkeeping before the channel hangs.
    await new Promise((resolve) => setTimeout(resolve, 500));

    // The channel hangs; Lina approves; the decision is committed, its notifications never get through.
    gate.hold();
    const heldBefore = gate.held;
    const approved = await postActivity(
      first.url,
      cardAction(LINA, 'request.approve', { requestId, version: 1 }, gate.serviceUrl),
    );
    assert.equal(approved.status, 200);
    assert.equal((approved.json() as { type: string }).type, 'application/vnd.microsoft.card.adaptive');
    await until(() => gate.held > heldBefore, 'a notification attempt reaching the hung channel');
    first.child.kill('SIGKILL');
    await first.exited;
    assert.equal(sendsTo(connector.calls, INGRID).length, 0, 'Ingrid was not notified before the crash');
    const monaBefore = sendsTo(connector.calls, MONA).length;

    // Restart with the channel answering again.
    gate.release();
    connector.reset();
    const second = await start();
    await until(() => sendsTo(connector.calls, INGRID).length >= 1, 'Ingrid’s decide card after the restart');
    await until(() => sendsTo(connector.calls, MONA).length >= 1, 'Mona’s status after the restart');
    // Room for a duplicate to show up.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    const toIngrid = sendsTo(connector.calls, INGRID);
    assert.equal(toIngrid.length, 1, 'Ingrid’s decide card exactly once');
    assert.match(JSON.stringify(toIngrid[0]?.body), new RegExp(requestId));
    assert.equal(sendsTo(connector.calls, MONA).length, 1, 'Mona is told of the approval exactly once');
    assert.equal(
      monaBefore,
      0,
      'Mona saw her request in the answer to her submit, and was told nothing more',
    );

    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
    const events: AuditEvent[] = [];
    for await (const event of readAuditFile(path.join(processes.dataDir, 'audit.jsonl'), { requestId }))
      events.push(event);
    const decided = events.filter((e) => e.type === 'decided');
    assert.equal(decided.length, 1, 'the decision is in the audit log once');
    assert.equal(decided[0]?.actor, LINA.email);
    assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'no audit record twice');
  });
});
