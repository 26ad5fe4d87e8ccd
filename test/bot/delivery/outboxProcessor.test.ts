import assert from 'node:assert/strict';
import path from 'node:path';
import { createHostAdapter } from '../../../bot/hostAdapter.js';
import {
  ConversationReferenceRecorder,
  withConversationReferences,
} from '../../../bot/delivery/conversationReferences.js';
import sinon from 'sinon';
import {
  CLAIM_BATCH,
  OUTCOME_BATCH,
  OutboxProcessor,
  type DeliveryOutcome,
  type ItemOutcome,
  type OutboxProcessorOptions,
} from '../../../bot/delivery/outboxProcessor.js';
import { TeamsRateLimiter } from '../../../bot/delivery/rateLimiter.js';
import { ProactiveSender, type ProactiveAdapter } from '../../../bot/delivery/sender.js';
import { EchoBot } from '../../../bot/echoBot.js';
import { MemoryConversationReferenceStore } from '../../../data/memory/memoryConversationReferenceStore.js';
import { Journal } from '../../../data/lowdb/journal.js';
import { openLowRequestStore } from '../../../data/lowdb/lowRequestStore.js';
import { MemoryRequestStore } from '../../../data/memory/memoryRequestStore.js';
import type { OutboxItem } from '../../../data/requestModel.js';
import type { RequestStore } from '../../../data/requestStore.js';
import { logger } from '../../../core/logger.js';
import { channelMessage, postActivity, TEST_TENANT_ID } from '../../../fakes/channelClient.js';
import { buildOutboxItem, buildRequest } from '../../data/fixtures/requestBuilder.js';
import type { HostSdk } from '../../../services/infrastructure/config.js';
import { HOSTS, useTestServer } from '../../fixtures/testServer.js';

/**
 * The processor on the real stack, on each host: startApp in local mode, a user's first message stores their
 * conversation reference, and the processor sends through the host's adapter built by the same factory the app uses,
 * to the fake connector on loopback.
 */

const ANNA = 'anna.approver@kommun.se';
/** channelMessage's default sender. */
const ANNA_AAD = 'aad-anna';
const ANNA_CONVERSATION = 'a:conversation-anna';
const BO = 'bo.ek@kommun.se';
const BO_AAD = 'aad-bo';
const BO_CONVERSATION = 'a:conversation-bo';
const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Beslut behövs' }] };

for (const host of HOSTS) describe(`OutboxProcessor on the app stack (${host} host)`, () => onAppStack(host));

function onAppStack(host: HostSdk) {
  let references: MemoryConversationReferenceStore;
  let processor: OutboxProcessor | undefined;
  let outcomes: [string, DeliveryOutcome][];
  let batches: ItemOutcome[][];
  let rendered: string[];

  beforeEach(() => {
    outcomes = [];
    batches = [];
    rendered = [];
  });
  afterEach(async () => {
    await processor?.stop();
    processor = undefined;
  });
  const server = useTestServer({
    host,
    app: () => {
      references = new MemoryConversationReferenceStore();
      const recorder = new ConversationReferenceRecorder(references, { logger });
      return { bot: withConversationReferences(new EchoBot(), recorder) };
    },
  });
  const { connector, app, config } = server;
  let adapter: ProactiveAdapter;
  beforeEach(async () => {
    ({ proactive: adapter } = await createHostAdapter(config, { logger }));
  });

  /** Anna writes to the bot once (her reference is stored); the echo reply is cleared from the connector. */
  async function annaSaysHello(): Promise<void> {
    const res = await postActivity(
      app.url,
      channelMessage({ serviceUrl: connector.serviceUrl, text: 'hej' }),
    );
    assert.equal(res.status, 200);
    await connector.waitForCalls(1);
    connector.reset();
  }

  /**
   * Messages posted by the bot. botbuilder's proactive turn carries a generated activity id, so sendActivity goes
   * out as a reply to it (POST .../activities/:id), which Teams shows as a new message in a 1:1 chat.
   */
  function newMessages() {
    return connector.calls.filter((c) => c.kind === 'send' || c.kind === 'reply');
  }

  /** Bo writes to the bot once, from his own 1:1 conversation. */
  async function boSaysHello(): Promise<void> {
    const res = await postActivity(
      app.url,
      channelMessage({
        serviceUrl: connector.serviceUrl,
        from: { id: '29:user-bo', name: 'Bo Ek', aadObjectId: BO_AAD },
        conversation: { id: BO_CONVERSATION, conversationType: 'personal', tenantId: TEST_TENANT_ID },
      }),
    );
    assert.equal(res.status, 200);
    await connector.waitForCalls(1);
    connector.reset();
  }

  function startProcessor(
    requests: OutboxProcessorOptions['requests'],
    extra: Partial<OutboxProcessorOptions> = {},
  ): OutboxProcessor {
    processor = new OutboxProcessor({
      requests,
      references,
      sender: new ProactiveSender({
        adapter,
        appId: config.botFramework.MicrosoftAppId ?? '',
        limiter: new TeamsRateLimiter(),
        logger,
      }),
      render: async (item) => {
        rendered.push(item.id);
        return { text: `Ärende ${item.requestId}`, card };
      },
      personKeyOf: async (personId) => ({ [ANNA]: ANNA_AAD, [BO]: BO_AAD })[personId],
      logger,
      onOutcome: (item, outcome) => {
        outcomes.push([item.id, outcome]);
      },
      onOutcomes: (results) => {
        batches.push(results);
      },
      ...extra,
    });
    processor.start();
    return processor;
  }

  async function storeWithItem(
    item: OutboxItem,
    store: RequestStore = new MemoryRequestStore(),
  ): Promise<RequestStore> {
    await store.create(buildRequest({ id: item.requestId }), { outbox: [item] });
    return store;
  }

  it("sends a proactive card to the conversation stored from the recipient's first message and records the copy", async () => {
    await annaSaysHello();
    const item = buildOutboxItem({ requestId: 'r-1', recipientId: ANNA, purpose: 'decide' });
    const requests = await storeWithItem(item);
    await startProcessor(requests).whenIdle();
    const sends = newMessages();
    assert.equal(sends.length, 1);
    assert.equal(sends[0]!.conversationId, ANNA_CONVERSATION);
    const attachments = sends[0]!.body.attachments as { contentType: string; content: unknown }[];
    assert.deepEqual(attachments[0]?.content, card);
    assert.deepEqual(await requests.cardCopies('r-1'), [
      {
        requestId: 'r-1',
        recipientId: ANNA,
        conversationId: ANNA_CONVERSATION,
        activityId: sends[0]!.responseId,
      },
    ]);
    assert.deepEqual(await requests.pendingOutbox(), []);
    assert.deepEqual(outcomes, [[item.id, { status: 'delivered', activityIds: [sends[0]!.responseId] }]]);
  });

  it('updates every stored copy of the card the recipient holds', async () => {
    await annaSaysHello();
    const item = buildOutboxItem({ requestId: 'r-2', recipientId: ANNA, purpose: 'update' });
    const requests = await storeWithItem(item);
    for (const activityId of ['activity-old-1', 'activity-old-2']) {
      await requests.addCardCopy({
        requestId: 'r-2',
        recipientId: ANNA,
        conversationId: ANNA_CONVERSATION,
        activityId,
      });
    }
    await requests.addCardCopy({
      requestId: 'r-2',
      recipientId: 'someone.else@kommun.se',
      conversationId: 'a:other',
      activityId: 'x',
    });
    await startProcessor(requests).whenIdle();

    const updates = connector.calls.filter((c) => c.kind === 'update');
    assert.deepEqual(
      updates.map((c) => [c.conversationId, c.activityId]),
      [
        [ANNA_CONVERSATION, 'activity-old-1'],
        [ANNA_CONVERSATION, 'activity-old-2'],
      ],
    );
    assert.equal(newMessages().length, 0);
    assert.deepEqual(await requests.pendingOutbox(), []);
  });

  it('reports a recipient without a stored conversation reference as unreachable and sends nothing', async () => {
    const item = buildOutboxItem({ recipientId: 'never.opened@kommun.se', purpose: 'decide' });
    const requests = await storeWithItem(item);
    await startProcessor(requests).whenIdle();
    assert.equal(connector.calls.length, 0);
    assert.deepEqual(outcomes, [[item.id, { status: 'unreachable' }]]);
    assert.deepEqual(await requests.pendingOutbox(), []);
  });

  it('renders nothing for a recipient it cannot reach', async () => {
    const item = buildOutboxItem({ recipientId: 'never.opened@kommun.se', purpose: 'task' });
    await startProcessor(await storeWithItem(item)).whenIdle();
    assert.deepEqual(outcomes, [[item.id, { status: 'unreachable' }]]);
    assert.deepEqual(rendered, [], 'a card was rendered for nobody');
  });

  it('settles an update for someone who holds no copy without rendering, sending or reporting a failure', async () => {
    await annaSaysHello();
    const requests = new MemoryRequestStore();
    const request = buildRequest({ id: 'r-none' });
    const items = [ANNA, 'never.opened@kommun.se'].map((recipientId) =>
      buildOutboxItem({ requestId: request.id, recipientId, purpose: 'update' }),
    );
    await requests.create(request, { outbox: items });
    await startProcessor(requests).whenIdle();
    assert.deepEqual(
      outcomes.map(([, o]) => o),
      [
        { status: 'skipped', reason: 'noCardCopies' },
        { status: 'skipped', reason: 'noCardCopies' },
      ],
    );
    assert.deepEqual(rendered, [], 'a card was rendered');
    assert.equal(connector.calls.length, 0, 'something was sent');
    assert.deepEqual(await requests.pendingOutbox(), []);
    const failures = (await requests.pendingAudit()).filter((e) => e.type === 'delivery_failed');
    assert.deepEqual(failures, [], 'an update nobody needed was audited as failed');
  });

  it(`tells onOutcomes about every settled item, at most ${OUTCOME_BATCH} at a time and at the end of the pass`, async () => {
    const requests = new MemoryRequestStore();
    const request = buildRequest({ id: 'r-many' });
    const items = Array.from({ length: OUTCOME_BATCH + 5 }, (_, i) =>
      buildOutboxItem({ requestId: request.id, recipientId: `person${i}@kommun.se`, purpose: 'decide' }),
    );
    await requests.create(request, { outbox: items });
    await startProcessor(requests).whenIdle();
    assert.deepEqual(
      batches.map((b) => b.length),
      [OUTCOME_BATCH, 5],
    );
    // Items of different people settle side by side: every one is reported once, in whatever order they finished.
    assert.deepEqual(
      batches
        .flat()
        .map((r) => [r.item.id, r.outcome.status])
        .sort(),
      items.map((i) => [i.id, 'unreachable']).sort(),
    );
  });

  it('writes the bookkeeping of an undeliverable item (attempt, audit, removal) as one store write', async () => {
    const store = await openLowRequestStore(path.join(server.dataDir, 'requests'), { archiveIntervalMs: 0 });
    try {
      const item = buildOutboxItem({ recipientId: 'never.opened@kommun.se', purpose: 'decide' });
      await storeWithItem(item, store);
      const appends = sinon.spy(Journal.prototype, 'append');
      await startProcessor(store).whenIdle();
      await processor!.stop();
      appends.restore();
      assert.deepEqual(outcomes, [[item.id, { status: 'unreachable' }]]);
      assert.equal(appends.callCount, 1, `${appends.callCount} writes for one undeliverable item`);
      assert.deepEqual(await store.pendingOutbox(), []);
      assert.deepEqual(
        (await store.pendingAudit()).map((e) => e.type),
        ['delivery_failed'],
      );
    } finally {
      sinon.restore();
      await processor?.stop();
      await store.close();
    }
  });

  it('reports a user who blocked the app (403 MessageWritesBlocked) without retrying', async () => {
    await annaSaysHello();
    const item = buildOutboxItem({ recipientId: ANNA, purpose: 'info' });
    const requests = await storeWithItem(item);
    connector.failNext(403, {
      error: { code: 'Forbidden', message: 'blocked', subCode: 'MessageWritesBlocked' },
    });
    await startProcessor(requests).whenIdle();
    assert.equal(connector.calls.length, 1);
    assert.deepEqual(outcomes, [[item.id, { status: 'blocked' }]]);
    assert.deepEqual(await requests.pendingOutbox(), []);
  });

  it('sends an item left pending by a crash exactly once after start', async () => {
    await annaSaysHello();
    const requestsDir = path.join(server.dataDir, 'requests');
    const item = buildOutboxItem({ requestId: 'r-crash', recipientId: ANNA, purpose: 'decide' });
    const before = await openLowRequestStore(requestsDir, { archiveIntervalMs: 0 });
    await storeWithItem(item, before);
    await before.close(); // the process "died" before anything was sent

    const reopened = await openLowRequestStore(requestsDir, { archiveIntervalMs: 0 });
    try {
      const first = startProcessor(reopened);
      await first.whenIdle();
      first.wake();
      await first.whenIdle();
      await first.stop();
      // A second start on the same store (the next restart) finds nothing left to send.
      await startProcessor(reopened).whenIdle();
      await processor!.stop();
      assert.equal(newMessages().length, 1);
      assert.deepEqual(await reopened.pendingOutbox(), []);
      assert.equal((await reopened.cardCopies('r-crash')).length, 1);
    } finally {
      await processor?.stop();
      await reopened.close();
    }
  });

  it("sends another person's notice at once while one conversation is throttled (429, Retry-After 5 s)", async () => {
    await annaSaysHello();
    await boSaysHello();
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    try {
      connector.failNext(
        429,
        { error: { code: 'TooManyRequests', message: 'slow down' } },
        { conversationId: ANNA_CONVERSATION, headers: { 'Retry-After': '5' } },
      );
      const requests = new MemoryRequestStore();
      const request = buildRequest({ id: 'r-throttled' });
      // Anna's notice is the older one: one item at a time would send Bo's only after her 5 s.
      const forAnna = buildOutboxItem({ requestId: request.id, recipientId: ANNA, purpose: 'decide' });
      const forBo = buildOutboxItem({ requestId: request.id, recipientId: BO, purpose: 'decide' });
      await requests.create(request, { outbox: [forAnna, forBo] });
      startProcessor(requests);

      await connector.waitForCalls(2);
      await until(() => outcomes.some(([id]) => id === forBo.id));
      const boSends = newMessages().filter((c) => c.conversationId === BO_CONVERSATION);
      assert.equal(boSends.length, 1, "Bo's notice waited for Anna's Retry-After");
      assert.deepEqual(
        outcomes.map(([id]) => id),
        [forBo.id],
        "Anna's notice went out before her Retry-After",
      );

      await clock.tickAsync(5_000);
      await processor!.whenIdle();
      const annaCalls = newMessages().filter((c) => c.conversationId === ANNA_CONVERSATION);
      assert.equal(annaCalls.length, 2, 'the throttled send and its one retry');
      assert.deepEqual(
        outcomes.map(([id, o]) => [id, o.status]),
        [
          [forBo.id, 'delivered'],
          [forAnna.id, 'delivered'],
        ],
      );
      assert.deepEqual(await requests.pendingOutbox(), []);
    } finally {
      // On a failure, Anna's send still sleeps on the fake clock: wake it so the processor can stop.
      await clock.tickAsync(10_000);
      clock.restore();
    }
  });

  it("keeps one person's notices in order while others go beside them: a card's update follows the card", async () => {
    await annaSaysHello();
    await boSaysHello();
    // Anna's card is slow to go out (throttled once); her update of it must still come after it.
    connector.failNext(
      429,
      { error: { code: 'TooManyRequests', message: 'slow down' } },
      { conversationId: ANNA_CONVERSATION, headers: { 'Retry-After': '1' } },
    );
    const requests = new MemoryRequestStore();
    const request = buildRequest({ id: 'r-order' });
    const items = [
      buildOutboxItem({ requestId: request.id, recipientId: ANNA, purpose: 'decide' }),
      buildOutboxItem({ requestId: request.id, recipientId: BO, purpose: 'info' }),
      buildOutboxItem({ requestId: request.id, recipientId: ANNA, purpose: 'update' }),
    ];
    await requests.create(request, { outbox: items });
    await startProcessor(requests).whenIdle();

    const anna = connector.calls.filter((c) => c.conversationId === ANNA_CONVERSATION);
    const sent = anna.filter((c) => c.kind !== 'update').at(-1)!;
    assert.deepEqual(
      anna.map((c) => c.kind),
      ['reply', 'reply', 'update'],
      'her update did not follow her card',
    );
    assert.equal(anna[2]!.activityId, sent.responseId, 'the update replaced another activity than her card');
    assert.deepEqual(
      outcomes.map(([id, o]) => [id, o.status]),
      [
        [items[1]!.id, 'delivered'],
        [items[0]!.id, 'delivered'],
        [items[2]!.id, 'delivered'],
      ],
    );
  });

  it('does not send again an item that a claim read just before the item was settled', async () => {
    await annaSaysHello();
    const item = buildOutboxItem({ requestId: 'r-race', recipientId: ANNA, purpose: 'info' });
    const inner = await storeWithItem(item);
    let renderGate: (() => void) | undefined;
    let claimGate: (() => void) | undefined;
    let claims = 0;
    const requests: OutboxProcessorOptions['requests'] = {
      // The second claim reads the outbox while the item is still in flight and answers only once it is settled.
      claimOutbox: async (limit) => {
        const read = await inner.claimOutbox(limit);
        claims += 1;
        if (claims === 2) await new Promise<void>((resolve) => (claimGate = resolve));
        return read;
      },
      markDelivered: (id, at) => inner.markDelivered(id, at),
      markAttempt: (id, error) => inner.markAttempt(id, error),
      settleDelivery: (settled) => inner.settleDelivery(settled),
      copiesToUpdate: (notice, at) => inner.copiesToUpdate(notice, at),
    };
    startProcessor(requests, {
      render: async () => {
        // Only the first render waits: a second one would be the second send this test is about.
        if (renderGate === undefined) await new Promise<void>((resolve) => (renderGate = resolve));
        return { text: 'Klart', card };
      },
    });
    await until(() => renderGate !== undefined);
    processor!.wake();
    await until(() => claimGate !== undefined);
    renderGate!();
    await until(() => outcomes.length === 1);
    claimGate!();
    await processor!.whenIdle();
    assert.equal(newMessages().length, 1, 'the item was sent twice');
    assert.deepEqual(await inner.pendingOutbox(), []);
  });

  it('claims again without the items it holds: a wake while one is in flight neither reads it nor counts it', async () => {
    await annaSaysHello();
    const item = buildOutboxItem({ requestId: 'r-held', recipientId: ANNA, purpose: 'info' });
    const inner = await storeWithItem(item);
    let renderGate: (() => void) | undefined;
    const claims: { limit: number | undefined; inHand: string[]; read: string[] }[] = [];
    const requests: OutboxProcessorOptions['requests'] = {
      claimOutbox: async (limit, inHand) => {
        const read = await inner.claimOutbox(limit, inHand);
        claims.push({ limit, inHand: [...(inHand ?? [])], read: read.map((i) => i.id) });
        return read;
      },
      markDelivered: (id, at) => inner.markDelivered(id, at),
      markAttempt: (id, error) => inner.markAttempt(id, error),
      settleDelivery: (settled) => inner.settleDelivery(settled),
      copiesToUpdate: (notice, at) => inner.copiesToUpdate(notice, at),
    };
    startProcessor(requests, {
      render: async () => {
        await new Promise<void>((resolve) => (renderGate = resolve));
        return { text: 'Klart', card };
      },
    });
    await until(() => renderGate !== undefined);
    processor!.wake();
    await until(() => claims.length === 2);
    renderGate!();
    await processor!.whenIdle();
    assert.deepEqual(claims[0], { limit: CLAIM_BATCH, inHand: [], read: [item.id] });
    assert.deepEqual(
      claims[1],
      { limit: CLAIM_BATCH, inHand: [item.id], read: [] },
      'the second claim names the item in flight and reads nothing',
    );
    assert.equal(newMessages().length, 1);
  });

  it('refuses to start a second processor on the same store while one runs', async () => {
    const requests = new MemoryRequestStore();
    startProcessor(requests);
    const second = new OutboxProcessor({
      requests,
      references,
      sender: { send: async () => assert.fail('not used'), update: async () => assert.fail('not used') },
      render: async () => undefined,
      logger,
    });
    assert.throws(() => second.start(), /another outbox processor/);
  });
}

/** Polls `condition` on the event loop until it holds (fails the test by its timeout otherwise). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
