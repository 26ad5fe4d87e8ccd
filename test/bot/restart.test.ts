import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { readAuditFile } from '../../data/auditLog.js';
import type { AuditEvent } from '../../data/requestModel.js';
import { channelInvoke, channelMessage, postActivity } from '../fakes/channelClient.js';
import { startFakeConnector, type FakeConnector, type RecordedCall } from '../fakes/fakeConnector.js';
import { spawnServer, waitUntilReady, type ServerProcess as Server } from '../fixtures/serverProcess.js';

/**
 * A crash between a decision and its notification: the real server process (`node --import tsx bot/server.ts`,
 * local mode, sample register, temp data dir) takes Lina's approve click, commits the decision with its outbox
 * items, and is SIGKILLed while the notifications hang at the channel (a gate in front of the fake connector holds
 * every outbound call, so none is delivered). After a restart on the same data dir, with the channel answering
 * again, Ingrid gets her decide card exactly once and Mona her status once; the audit log holds the decision once.
 */

const STORSJO_TENANT = 'b09d63e2-6a6a-5a67-8f0f-9ad266d8fc2b';
const RAINDANCE = 'storsjo-kommun/raindance';

interface TeamsUser {
  email: string;
  name: string;
  aadObjectId: string;
  conversationId: string;
}

const user = (email: string, name: string, aadObjectId: string): TeamsUser => ({
  email,
  name,
  aadObjectId,
  conversationId: `a:personal-${aadObjectId}`,
});
const MONA = user('mona.jansson@storsjo.example', 'Mona Jansson', 'aaf72005-3681-572b-aa30-b07475dd2e2a');
const LINA = user('lina.axelsson@storsjo.example', 'Lina Axelsson', '9cf0da21-2504-5ff9-bc21-677142e55bc4');
const INGRID = user(
  'ingrid.sundberg@storsjo.example',
  'Ingrid Sundberg',
  '45876b78-c600-59c9-b42f-9aecf7a77981',
);

/**
 * The channel as the bot reaches it: forwards to the fake connector, or (held) accepts each call and never answers,
 * as a channel that hangs does. Held calls are counted and never reach the connector.
 */
async function startGate(connector: FakeConnector) {
  let holding = false;
  let held = 0;
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (holding) {
        held += 1;
        hanging.push(res);
        return;
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      fetch(`${connector.serviceUrl}${req.url ?? '/'}`, {
        method: req.method ?? 'POST',
        headers,
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      }).then(
        async (answer) => {
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(await answer.text());
        },
        () => {
          res.writeHead(502);
          res.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    hold: () => (holding = true),
    release: () => {
      holding = false;
      for (const res of hanging.splice(0)) res.destroy();
    },
    get held() {
      return held;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging.splice(0)) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function from(person: TeamsUser, serviceUrl: string) {
  return {
    serviceUrl,
    tenantId: STORSJO_TENANT,
    from: { id: `29:${person.aadObjectId}`, name: person.name, aadObjectId: person.aadObjectId },
    conversation: { id: person.conversationId, conversationType: 'personal', tenantId: STORSJO_TENANT },
  };
}

function cardAction(person: TeamsUser, verb: string, data: Record<string, unknown>, serviceUrl: string) {
  return channelInvoke(
    'adaptiveCard/action',
    { action: { type: 'Action.Execute', verb, data } },
    from(person, serviceUrl),
  );
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Messages posted into a person's chat. botbuilder's proactive turn carries a generated activity id, so a
 * proactive send arrives as a reply to it; the test clears the connector after the greetings, so from then on
 * every message posted is a proactive one.
 */
function sendsTo(calls: readonly RecordedCall[], person: TeamsUser): RecordedCall[] {
  return calls.filter(
    (c) => (c.kind === 'send' || c.kind === 'reply') && c.conversationId === person.conversationId,
  );
}

describe('restart between a decision and its notification', function () {
  this.timeout(90_000);
  let connector: FakeConnector;
  let gate: Awaited<ReturnType<typeof startGate>>;
  let dataDir: string;
  const servers: Server[] = [];

  before(async () => {
    connector = await startFakeConnector();
    gate = await startGate(connector);
  });
  after(async () => {
    await gate.close();
    await connector.close();
  });
  beforeEach(async () => {
    connector.reset();
    gate.release();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ansvar-restart-'));
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const server = await spawnServer(dataDir, { sample: true });
    servers.push(server);
    await waitUntilReady(server);
    return server;
  };

  it('sends Ingrid her decide card and Mona her status exactly once after a SIGKILL, and logs the decision once', async () => {
    const first = await start();

    // Everyone has opened the bot once: their conversation references are kept.
    for (const person of [MONA, LINA, INGRID]) {
      const res = await postActivity(
        first.url,
        channelMessage({ ...from(person, gate.serviceUrl), text: 'hej' }),
      );
      assert.equal(res.status, 200);
    }
    await until(() => connector.activities.length >= 3, 'the three greetings');
    connector.reset();

    // Mona asks for Raindance; Lina (her manager) gets the decide card.
    const requestId = randomUUID();
    const submitted = await postActivity(
      first.url,
      cardAction(
        MONA,
        'request.submit',
        {
          systemId: RAINDANCE,
          formId: requestId,
          change: 'new',
          role: 'Attestant',
          justification: 'Attesterar leverantörsfakturor för hemtjänsten',
          startDate: '2026-09-01',
          policyConfirmed: 'true',
        },
        gate.serviceUrl,
      ),
    );
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
    for await (const event of readAuditFile(path.join(dataDir, 'audit.jsonl'), { requestId }))
      events.push(event);
    const decided = events.filter((e) => e.type === 'decided');
    assert.equal(decided.length, 1, 'the decision is in the audit log once');
    assert.equal(decided[0]?.actor, LINA.email);
    assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'no audit record twice');
  });
});
