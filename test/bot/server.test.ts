import assert from 'node:assert/strict';
import sinon from 'sinon';
import { startApp, type RunningApp } from '../../bot/app.js';
import { EchoBot } from '../../bot/echoBot.js';
import { openLowRegisterStore } from '../../data/lowdb/lowRegisterStore.js';
import { loadConfig } from '../../services/infrastructure/config.js';
import { LoopbackCredentialsFactory } from '../../fakes/fakeConnector.js';
import { startFakeOpenIdServer, type FakeOpenIdServer } from '../../fakes/fakeOpenIdServer.js';
import { channelMessage, postActivity } from '../../fakes/channelClient.js';
import { HOSTS, useTestServer } from '../fixtures/testServer.js';

/**
 * End to end: the real composition root (startApp) with the real store in a temp data dir, the sample register
 * loaded on the empty store, the TeamsBot, and replies captured by the fake connector.
 */

/** Storsjö kommun in data/sample/organisations.csv. */
const STORSJO_TENANT = 'b09d63e2-6a6a-5a67-8f0f-9ad266d8fc2b';
const APP_ID = 'e2e-ansvar-app';

interface CardAttachment {
  contentType: string;
  content: unknown;
}

function adaptiveCardsOf(activity: Record<string, unknown> | undefined): CardAttachment[] {
  const attachments = (activity?.attachments ?? []) as CardAttachment[];
  return attachments.filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
}

for (const host of HOSTS)
  describe(`Ansvar end to end (startApp + store + sample register + TeamsBot), ${host} host`, () => {
    let app: RunningApp | undefined;
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });
    // Each test starts the app itself, with the settings it is about.
    const server = useTestServer({ host, openId: true });
    const { connector, openId } = server;

    const localConfig = (env: Record<string, string> = {}) =>
      loadConfig({
        PORT: '0',
        ANSVAR_DATA_DIR: server.dataDir,
        LOG_LEVEL: 'silent',
        ANSVAR_HOST: host,
        ...env,
      });

    it('answers "vem äger Public 360" in local mode with an Adaptive Card naming the owner from the sample register', async () => {
      app = await startApp(localConfig());
      const res = await postActivity(
        app.url,
        channelMessage({
          serviceUrl: connector.serviceUrl,
          tenantId: STORSJO_TENANT,
          text: 'vem äger Public 360',
        }),
      );
      assert.equal(res.status, 200);
      await connector.waitForCalls(1);
      const reply = connector.activities.find((a) => adaptiveCardsOf(a).length > 0);
      assert.ok(reply, 'a reply with an Adaptive Card reached the connector');
      const card = JSON.stringify(adaptiveCardsOf(reply)[0]?.content);
      assert.match(card, /Maria Ekholm/);
      assert.match(card, /Public 360/);
      assert.doesNotMatch(card, /\$\{/);
    });

    it('loads the sample register into an empty store once and adds nothing at a later start', async () => {
      app = await startApp(localConfig());
      await app.close();
      app = undefined;
      const first = await openLowRegisterStore(server.dataDir);
      const loadedRevision = await first.revision();
      await first.close();
      assert.ok(loadedRevision > 0, 'the sample was written');

      app = await startApp(localConfig());
      await app.close();
      app = undefined;
      const second = await openLowRegisterStore(server.dataDir);
      try {
        assert.equal(await second.revision(), loadedRevision);
      } finally {
        await second.close();
      }
    });

    it('starts with an empty register when ANSVAR_SAMPLE=0', async () => {
      app = await startApp(localConfig({ ANSVAR_SAMPLE: '0' }));
      await app.close();
      app = undefined;
      const store = await openLowRegisterStore(server.dataDir);
      try {
        assert.equal(await store.revision(), 0);
      } finally {
        await store.close();
      }
    });

    it('runs the echo bot, the benchmark baseline, on the same stack', async () => {
      app = await startApp(localConfig(), { bot: new EchoBot() });
      const res = await postActivity(
        app.url,
        channelMessage({ serviceUrl: connector.serviceUrl, text: 'eko' }),
      );
      assert.equal(res.status, 200);
      const [call] = await connector.waitForCalls(1);
      assert.equal(call?.kind, 'reply');
      assert.equal(call?.body.text, 'eko');
    });

    describe('with Bot Framework authentication', () => {
      beforeEach(() => {
        // botbuilder prints rejected tokens to console.error.
        sinon.stub(console, 'error');
      });
      afterEach(() => {
        sinon.restore();
      });

      const authConfig = (openIdServer: FakeOpenIdServer = openId) =>
        loadConfig({
          PORT: '0',
          HOST: '127.0.0.1',
          ANSVAR_DATA_DIR: server.dataDir,
          LOG_LEVEL: 'silent',
          MicrosoftAppId: APP_ID,
          MicrosoftAppPassword: 'e2e-secret',
          MicrosoftAppTenantId: STORSJO_TENANT,
          ALLOWED_TENANT_IDS: STORSJO_TENANT,
          ToBotFromChannelOpenIdMetadataUrl: openIdServer.metadataUrl,
          ToBotFromChannelTokenIssuer: openIdServer.issuer,
          ANSVAR_HOST: host,
        });

      it('answers a signed Teams message with the owner card, and refuses the same message unsigned', async () => {
        // With an app id nothing is loaded at start: seed the store with the sample first, as an operator would.
        const seeding = await startApp(localConfig());
        await seeding.close();

        app = await startApp(authConfig(), { credentialsFactory: new LoopbackCredentialsFactory(APP_ID) });
        const activity = channelMessage({
          serviceUrl: connector.serviceUrl,
          tenantId: STORSJO_TENANT,
          text: 'vem äger Public 360',
        });

        const unsigned = await postActivity(app.url, activity);
        assert.equal(unsigned.status, 401);
        assert.equal(connector.calls.length, 0);

        const token = openId.sign(openId.claims(APP_ID, connector.serviceUrl));
        const res = await postActivity(app.url, activity, { authorization: `Bearer ${token}` });
        assert.equal(res.status, 200);
        await connector.waitForCalls(1);
        const reply = connector.activities.find((a) => adaptiveCardsOf(a).length > 0);
        assert.match(JSON.stringify(adaptiveCardsOf(reply)[0]?.content), /Maria Ekholm/);
      });

      it('fetches no OpenID keys at start with an app id, only on the first request', async () => {
        const fresh = await startFakeOpenIdServer();
        try {
          app = await startApp(authConfig(fresh), {
            credentialsFactory: new LoopbackCredentialsFactory(APP_ID),
          });
          assert.equal(fresh.keyRequests, 0);
          const token = fresh.sign(fresh.claims(APP_ID, connector.serviceUrl));
          const activity = channelMessage({
            serviceUrl: connector.serviceUrl,
            tenantId: STORSJO_TENANT,
            text: 'hjälp',
          });
          assert.equal(
            (await postActivity(app.url, activity, { authorization: `Bearer ${token}` })).status,
            200,
          );
          // The Agents host reads the key set twice: the SDK's key client, and bot/agentsHost.ts for the endorsements.
          assert.equal(fresh.keyRequests, host === 'agents' ? 2 : 1);
        } finally {
          await fresh.close();
        }
      });
    });
  });
