import assert from 'node:assert/strict';
import { createHostAdapter } from '../../../bot/hostAdapter.js';
import {
  ConversationReferenceRecorder,
  withConversationReferences,
} from '../../../bot/delivery/conversationReferences.js';
import { createProactiveInstaller, GraphProactiveInstaller } from '../../../bot/delivery/graphInstaller.js';
import {
  OutboxProcessor,
  type DeliveryOutcome,
  type OutboxProcessorOptions,
} from '../../../bot/delivery/outboxProcessor.js';
import { TeamsRateLimiter } from '../../../bot/delivery/rateLimiter.js';
import { ProactiveSender, type ProactiveAdapter } from '../../../bot/delivery/sender.js';
import { EchoBot } from '../../../bot/echoBot.js';
import { MemoryConversationReferenceStore } from '../../../data/memory/memoryConversationReferenceStore.js';
import { MemoryRequestStore } from '../../../data/memory/memoryRequestStore.js';
import type { OutboxItem } from '../../../data/requestModel.js';
import { loadConfig, type HostSdk } from '../../../services/infrastructure/config.js';
import { TeamsAppInstaller } from '../../../services/directory/teamsAppInstaller.js';
import { logger } from '../../../core/logger.js';
import { channelMessage, postActivity } from '../../../fakes/channelClient.js';
import { FakeTokenCredential } from '../../../fakes/fakeGraphServer.js';
import { buildOutboxItem, buildRequest } from '../../data/fixtures/requestBuilder.js';
import { HOSTS, useTestServer } from '../../fixtures/testServer.js';

/**
 * An approver who never opened the bot: the processor finds no conversation reference, asks the Graph installer
 * (the real TeamsAppInstaller against the fake Graph on loopback), defers the card, and sends it once the install's
 * installationUpdate reaches the app and stores the reference.
 */

const ANNA = 'anna.approver@kommun.se';
/** channelMessage's default sender: the Entra object id the reference is stored under. */
const ANNA_AAD = 'aad-anna';
const ANNA_CONVERSATION = 'a:conversation-anna';
const CATALOG_APP_ID = '6f0c2a55-3b1e-4c8e-9a57-0d4c1e2b7a10';
const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Beslut behövs' }] };

for (const host of HOSTS)
  describe(`OutboxProcessor with the Graph app installer (${host} host)`, () => withGraphInstaller(host));

function withGraphInstaller(host: HostSdk) {
  let references: MemoryConversationReferenceStore;
  let processor: OutboxProcessor | undefined;
  let outcomes: DeliveryOutcome[];

  beforeEach(() => {
    outcomes = [];
  });
  afterEach(async () => {
    await processor?.stop();
    processor = undefined;
  });
  const { connector, graph, app, config } = useTestServer({
    host,
    graph: (graph) => {
      graph.addCatalogApp(CATALOG_APP_ID);
      graph.addUser({ id: ANNA_AAD, userPrincipalName: ANNA });
    },
    app: () => {
      references = new MemoryConversationReferenceStore();
      const recorder = new ConversationReferenceRecorder(references, {
        logger,
        onStored: () => processor?.wake(),
      });
      return { bot: withConversationReferences(new EchoBot(), recorder) };
    },
  });

  let adapter: ProactiveAdapter;
  beforeEach(async () => {
    ({ proactive: adapter } = await createHostAdapter(config, { logger }));
  });

  function startProcessor(
    requests: MemoryRequestStore,
    overrides: Partial<OutboxProcessorOptions> = {},
  ): OutboxProcessor {
    const personKeyOf = async (personId: string) => (personId === ANNA ? ANNA_AAD : undefined);
    processor = new OutboxProcessor({
      requests,
      references,
      sender: new ProactiveSender({
        adapter,
        appId: config.botFramework.MicrosoftAppId ?? '',
        limiter: new TeamsRateLimiter(),
        logger,
      }),
      render: async (item) => ({ text: `Ärende ${item.requestId}`, card }),
      personKeyOf,
      installer: new GraphProactiveInstaller({
        installer: new TeamsAppInstaller(
          { baseUrl: graph.baseUrl, timeoutMs: 2000, catalogAppId: CATALOG_APP_ID },
          { credential: new FakeTokenCredential(graph.token) },
        ),
        personKeyOf,
        logger,
      }),
      logger,
      onOutcome: (_item, outcome) => {
        outcomes.push(outcome);
      },
      ...overrides,
    });
    processor.start();
    return processor;
  }

  async function storeWithItem(item: OutboxItem): Promise<MemoryRequestStore> {
    const store = new MemoryRequestStore();
    await store.create(buildRequest({ id: item.requestId }), { outbox: [item] });
    return store;
  }

  const installRequests = () => graph.requests.filter((r) => r.path.endsWith('/teamwork/installedApps'));

  it('asks Graph to install the app for an approver without a reference and defers the card instead of reporting her unreachable', async () => {
    const item = buildOutboxItem({ requestId: 'r-1', recipientId: ANNA, purpose: 'decide' });
    const requests = await storeWithItem(item);
    await startProcessor(requests).whenIdle();

    assert.deepEqual(
      installRequests().map((r) => [r.method, r.path, r.status]),
      [['POST', `/users/${ANNA_AAD}/teamwork/installedApps`, 201]],
    );
    assert.deepEqual(graph.installedApps(ANNA), [CATALOG_APP_ID]);
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]?.status, 'deferred');
    assert.match(
      (outcomes[0] as { reason: string }).reason,
      /installed; waiting for the conversation reference/,
    );
    assert.equal(connector.calls.length, 0);
    const pending = await requests.pendingOutbox();
    assert.deepEqual(
      pending.map((p) => [p.id, p.attempts]),
      [[item.id, 1]],
    );
  });

  it("sends the deferred card once the install's installationUpdate stores the reference", async () => {
    const item = buildOutboxItem({ requestId: 'r-2', recipientId: ANNA, purpose: 'decide' });
    const requests = await storeWithItem(item);
    await startProcessor(requests, {
      itemRetryPolicy: { baseDelayMs: 100, maxDelayMs: 100 },
      random: () => 1,
    }).whenIdle();
    assert.equal(outcomes[0]?.status, 'deferred');

    // What Teams sends the bot after the Graph install.
    const installed = channelMessage({
      serviceUrl: connector.serviceUrl,
      type: 'installationUpdate',
      action: 'add',
    });
    assert.equal((await postActivity(app.url, installed)).status, 200);
    const [sent] = await connector.waitForCalls(1);
    await processor!.whenIdle();

    assert.equal(sent?.conversationId, ANNA_CONVERSATION);
    assert.deepEqual(outcomes.at(-1), { status: 'delivered', activityIds: [sent!.responseId] });
    assert.deepEqual(await requests.pendingOutbox(), []);
    assert.equal(installRequests()[0]?.status, 201);
  });

  it('reports the approver unreachable when Graph refuses the install (403)', async () => {
    graph.refuseInstall(ANNA, 403);
    const item = buildOutboxItem({ recipientId: ANNA, purpose: 'decide' });
    const requests = await storeWithItem(item);
    await startProcessor(requests).whenIdle();

    assert.deepEqual(outcomes, [{ status: 'unreachable' }]);
    assert.deepEqual(await requests.pendingOutbox(), []);
    assert.equal(installRequests().length, 1);
  });

  it('defers the card when Graph is unavailable, so the install is tried again later', async () => {
    graph.failAll(500);
    const item = buildOutboxItem({ recipientId: ANNA, purpose: 'decide' });
    const requests = await storeWithItem(item);
    await startProcessor(requests).whenIdle();

    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]?.status, 'deferred');
    assert.equal((await requests.pendingOutbox()).length, 1);
  });

  it('does not call Graph for a person the directory does not know', async () => {
    const item = buildOutboxItem({ recipientId: 'not.in.directory@kommun.se', purpose: 'decide' });
    const requests = await storeWithItem(item);
    await startProcessor(requests).whenIdle();

    assert.deepEqual(outcomes, [{ status: 'unreachable' }]);
    assert.deepEqual(graph.requests, []);
  });
}

describe('createProactiveInstaller', () => {
  const graphEnv = {
    DIRECTORY: 'graph',
    GRAPH_TENANT_ID: '11111111-1111-4111-8111-111111111111',
    GRAPH_CLIENT_ID: '22222222-2222-4222-8222-222222222222',
    GRAPH_CLIENT_SECRET: 'not-a-secret',
  };

  it('installs nothing with the local directory or without TEAMS_APP_CATALOG_ID', () => {
    assert.equal(createProactiveInstaller(loadConfig({}), { logger }), undefined);
    assert.equal(createProactiveInstaller(loadConfig(graphEnv), { logger }), undefined);
  });

  it('builds the Graph installer with DIRECTORY=graph and TEAMS_APP_CATALOG_ID', () => {
    const config = loadConfig({ ...graphEnv, TEAMS_APP_CATALOG_ID: CATALOG_APP_ID });
    assert.ok(
      createProactiveInstaller(config, { logger }) instanceof GraphProactiveInstaller,
      'createProactiveInstaller(config, { logger }) instanceof GraphProactiveInstaller',
    );
  });
});
