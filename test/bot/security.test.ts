import { memoryStores } from '../fixtures/appServices.js';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sinon from 'sinon';
import { startApp } from '../../bot/app.js';
import { loadConfig, type Config } from '../../services/infrastructure/config.js';
import { LoopbackCredentialsFactory } from '../../fakes/fakeConnector.js';
import { startFakeOpenIdServer, unknownKey } from '../../fakes/fakeOpenIdServer.js';
import { RecordingBot } from '../../fakes/recordingBot.js';
import { channelMessage, OTHER_TENANT_ID, postActivity, TEST_TENANT_ID } from '../../fakes/channelClient.js';
import { HOSTS, onHost, useTestServer } from '../fixtures/testServer.js';

const APP_ID = 'a1b2c3d4-0000-4000-8000-ansvar000001';

function authConfig(openId: { metadataUrl: string; issuer: string }): Config {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ANSVAR_DATA_DIR: '.ansvar-unused',
    ANSVAR_SAMPLE_ON_EMPTY: 'false',
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'test-secret',
    MicrosoftAppTenantId: TEST_TENANT_ID,
    ALLOWED_TENANT_IDS: TEST_TENANT_ID,
    ToBotFromChannelOpenIdMetadataUrl: openId.metadataUrl,
    ToBotFromChannelTokenIssuer: openId.issuer,
  });
}

/** Words of botbuilder's and jsonwebtoken's error texts; none may reach a caller. */
const INTERNAL_TEXT = /jwt|token|signature|claim|issuer|audience|expired|endorse|key|Unauthorized\./i;

for (const host of HOSTS)
  describe(`bot/http security (Bot Framework authentication and the tenant guard), ${host} host`, () => {
    let bot: RecordingBot;
    beforeEach(() => {
      // botbuilder prints rejected tokens and keys to console.error; keep the test output readable.
      sinon.stub(console, 'error');
    });
    afterEach(() => sinon.restore());
    // A fresh OpenID server (fresh URL) per run: botbuilder caches keys per metadata URL for the process.
    const { openId, connector, app } = useTestServer({
      host,
      openId: true,
      config: ({ openId }) => authConfig(openId),
      app: () => ({
        bot: (bot = new RecordingBot()),
        ...memoryStores(),
        credentialsFactory: new LoopbackCredentialsFactory(APP_ID),
      }),
    });

    const message = (overrides = {}) => channelMessage({ serviceUrl: connector.serviceUrl, ...overrides });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const validToken = () => openId.sign(openId.claims(APP_ID, connector.serviceUrl));

    it('accepts a valid channel token: 200, the bot ran, and its reply reached the connector', async () => {
      const res = await postActivity(app.url, message({ text: 'vem äger Procapita' }), bearer(validToken()));
      assert.equal(res.status, 200);
      assert.deepEqual(
        bot.turns.map((t) => t.text),
        ['vem äger Procapita'],
      );
      const [call] = await connector.waitForCalls(1);
      assert.equal(call?.body.text, 'echo: vem äger Procapita');
      assert.ok(openId.keyRequests >= 1, 'the keys came from the fake OpenID server');
    });

    describe('refuses with 401, a generic body, and the bot never runs', () => {
      const cases: [string, () => Record<string, string>][] = [
        [
          'a token for another audience',
          () => bearer(openId.sign(openId.claims('someone-elses-app', connector.serviceUrl))),
        ],
        [
          'a token from another issuer',
          () =>
            bearer(
              openId.sign(
                openId.claims(APP_ID, connector.serviceUrl, { iss: 'https://api.botframework.com' }),
              ),
            ),
        ],
        [
          'a token signed with an unknown key',
          () => bearer(openId.sign(openId.claims(APP_ID, connector.serviceUrl), { kid: 'not-published' })),
        ],
        [
          'a token signed with another key under the published kid',
          () =>
            bearer(openId.sign(openId.claims(APP_ID, connector.serviceUrl), { privateKey: unknownKey() })),
        ],
        [
          'a token with a tampered payload (bad signature)',
          () => {
            const [header, , signature] = validToken().split('.');
            const forged = Buffer.from(
              JSON.stringify(openId.claims(APP_ID, connector.serviceUrl, { aud: APP_ID, tid: 'x' })),
            ).toString('base64url');
            return bearer(`${header}.${forged}.${signature}`);
          },
        ],
        [
          'an unsigned token (alg: none)',
          () => bearer(openId.unsigned(openId.claims(APP_ID, connector.serviceUrl))),
        ],
        [
          'an expired token',
          () => {
            const now = Math.floor(Date.now() / 1000);
            return bearer(
              openId.sign(openId.claims(APP_ID, connector.serviceUrl, { nbf: now - 7200, exp: now - 3600 })),
            );
          },
        ],
        [
          'a token not valid yet',
          () => {
            const now = Math.floor(Date.now() / 1000);
            return bearer(
              openId.sign(openId.claims(APP_ID, connector.serviceUrl, { nbf: now + 3600, exp: now + 7200 })),
            );
          },
        ],
        [
          'a token whose serviceurl claim names another service URL',
          () => bearer(openId.sign(openId.claims(APP_ID, 'https://smba.trafficmanager.net/emea/'))),
        ],
        ['no Authorization header', () => ({})],
        [
          'an Authorization header that is not a bearer token',
          () => ({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }),
        ],
        ['a bearer value that is not a JWT', () => bearer('not-a-jwt')],
      ];
      for (const [name, headers] of cases) {
        it(`refuses ${name}`, async () => {
          const res = await postActivity(app.url, message(), headers());
          assert.equal(res.status, 401);
          assert.deepEqual(res.json(), { error: 'Unauthorized' });
          assert.doesNotMatch(res.text.replace('Unauthorized', ''), INTERNAL_TEXT);
          assert.equal(bot.turns.length, 0);
          assert.equal(connector.calls.length, 0);
        });
      }
    });

    describe('refuses an authenticated activity outside the tenant allow-list with 403', () => {
      const cases: [string, Record<string, unknown>][] = [
        ['from another tenant', { tenantId: OTHER_TENANT_ID }],
        ['without any tenant', { tenantId: null }],
        [
          'whose channelData names an allowed tenant but whose conversation is in another',
          {
            channelData: { tenant: { id: TEST_TENANT_ID } },
            conversation: { id: 'a:c', tenantId: OTHER_TENANT_ID },
          },
        ],
      ];
      for (const [name, overrides] of cases) {
        it(`refuses an activity ${name}, and the bot never runs`, async () => {
          const res = await postActivity(app.url, message(overrides), bearer(validToken()));
          assert.equal(res.status, 403);
          assert.deepEqual(res.json(), { error: 'Forbidden' });
          assert.equal(bot.turns.length, 0);
          assert.equal(connector.calls.length, 0);
        });
      }

      it('accepts the allowed tenant named only in conversation.tenantId', async () => {
        const res = await postActivity(
          app.url,
          message({ channelData: {}, conversation: { id: 'a:c', tenantId: TEST_TENANT_ID } }),
          bearer(validToken()),
        );
        assert.equal(res.status, 200);
        assert.equal(bot.turns.length, 1);
      });
    });

    it('refuses with 401 a token signed with a key endorsed for other channels only', async () => {
      const webchatOnly = await startFakeOpenIdServer({ endorsements: ['webchat'] });
      const other = await startApp(onHost(authConfig(webchatOnly), host), {
        bot,
        ...memoryStores(),
        credentialsFactory: new LoopbackCredentialsFactory(APP_ID),
      });
      try {
        const token = webchatOnly.sign(webchatOnly.claims(APP_ID, connector.serviceUrl));
        const res = await postActivity(other.url, message(), bearer(token));
        assert.equal(res.status, 401);
        assert.deepEqual(res.json(), { error: 'Unauthorized' });
        assert.equal(bot.turns.length, 0);
      } finally {
        await other.close();
        await webchatOnly.close();
      }
    });

    it('answers 503, not 401 or 500, while the OpenID metadata cannot be loaded', async () => {
      // A port that was just free: nothing listens there, so the metadata fetch is refused (loopback only).
      const probe = http.createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const port = (probe.address() as AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const unreachable = {
        metadataUrl: `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`,
        issuer: openId.issuer,
      };
      const down = await startApp(onHost(authConfig(unreachable), host), {
        bot,
        ...memoryStores(),
        credentialsFactory: new LoopbackCredentialsFactory(APP_ID),
      });
      try {
        const res = await postActivity(down.url, message(), bearer(validToken()));
        assert.equal(res.status, 503);
        assert.deepEqual(res.json(), { error: 'Service unavailable' });
        assert.equal(bot.turns.length, 0);
      } finally {
        await down.close();
      }
    });
  });
