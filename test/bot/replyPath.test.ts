import assert from 'node:assert/strict';
import {
  CardFactory,
  CloudAdapter,
  DeliveryModes,
  INVOKE_RESPONSE_KEY,
  TurnContext,
  type Activity,
} from 'botbuilder';
import { MicrosoftAppCredentials, PasswordServiceClientCredentialFactory } from 'botframework-connector';
import { createAdapter, type AnsvarAdapter } from '../../bot/adapter.js';
import { ReplyContext } from '../../bot/replyContext.js';
import { logger } from '../../core/logger.js';
import { channelMessage, TEST_TENANT_ID } from '../../fakes/channelClient.js';
import { startFakeConnector, type FakeConnector, type RecordedCall } from '../../fakes/fakeConnector.js';
import { startFakeOpenIdServer, type FakeOpenIdServer } from '../../fakes/fakeOpenIdServer.js';
import { loadConfig, type Config } from '../../services/infrastructure/config.js';

/**
 * The botbuilder host's reply path (bot/replyContext.ts, AnsvarAdapter.sendActivities, bot/connectorPost.ts) against
 * botbuilder's own (TurnContext and CloudAdapterBase's `sendActivities`, the connector client's `replyToActivity` /
 * `sendToConversation`), the same turn logic run on each: the same HTTP requests byte for byte (only the random
 * x-ms-client-request-id differs), the same results, errors and turn state, locally and with an app id and a token.
 */

const APP_ID = 'a1b2c3d4-0000-4000-8000-ansvar000002';
const OUTBOUND_TOKEN = 'outbound-token-for-the-connector';

/** Outbound credentials that sign every connector call with a fixed token (no call to Entra). */
class FixedTokenCredentials extends MicrosoftAppCredentials {
  constructor() {
    super(APP_ID, 'not-a-secret');
  }

  override async getToken(): Promise<string> {
    return OUTBOUND_TOKEN;
  }
}

class FixedTokenFactory extends PasswordServiceClientCredentialFactory {
  constructor() {
    super(APP_ID, 'not-a-secret');
  }

  override async createCredentials(): Promise<MicrosoftAppCredentials> {
    return new FixedTokenCredentials();
  }
}

type Logic = (context: TurnContext) => Promise<unknown>;

interface Run {
  result: unknown;
  error?: unknown;
  responded: boolean;
  buffered: unknown[];
  invokeResponse: unknown;
  calls: RecordedCall[];
}

/**
 * A turn's outcome as a plain value: what was returned or thrown, and what the turn recorded. The ids the fake
 * connector gave (a counter over the whole file) become their call's position, `#0`, `#1` ...
 */
function outcome(context: TurnContext, result: unknown, error: unknown, calls: RecordedCall[]): Run {
  let json = JSON.stringify(result) ?? 'null';
  calls.forEach((call, index) => (json = json.replaceAll(`"${call.responseId}"`, `"#${index}"`)));
  return {
    result: JSON.parse(json) as unknown,
    ...(error === undefined ? {} : { error: errorFields(error) }),
    responded: context.responded,
    buffered: JSON.parse(JSON.stringify(context.bufferedReplyActivities)) as unknown[],
    invokeResponse: context.turnState.get(INVOKE_RESPONSE_KEY),
    calls,
  };
}

function errorFields(error: unknown) {
  const e = error as Record<string, unknown> & Error;
  return {
    class: e.constructor.name,
    name: e.name,
    message: e.message,
    code: e.code,
    statusCode: e.statusCode,
    details: e.details,
    bodyAsText: (e.response as { bodyAsText?: unknown } | undefined)?.bodyAsText,
  };
}

/** A call's request with its random request id checked and set aside. */
function wire(call: RecordedCall) {
  const headers = [...call.raw.headers];
  const at = headers.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === 'x-ms-client-request-id');
  assert.ok(at >= 0, 'the request has a client request id');
  assert.match(headers[at + 1]!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  headers[at + 1] = '<uuid>';
  return { method: call.raw.method, url: call.raw.url, headers, body: call.raw.body.toString('latin1') };
}

function localConfig(): Config {
  return loadConfig({ PORT: '0', ANSVAR_DATA_DIR: '.ansvar-unused', ANSVAR_SAMPLE_ON_EMPTY: 'false' });
}

function authConfig(openId: FakeOpenIdServer): Config {
  return loadConfig({
    PORT: '0',
    ANSVAR_DATA_DIR: '.ansvar-unused',
    ANSVAR_SAMPLE_ON_EMPTY: 'false',
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-a-secret',
    MicrosoftAppTenantId: TEST_TENANT_ID,
    ALLOWED_TENANT_IDS: TEST_TENANT_ID,
    ToBotFromChannelOpenIdMetadataUrl: openId.metadataUrl,
    ToBotFromChannelTokenIssuer: openId.issuer,
  });
}

const card = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: 'Systemägare för Procapita – “Åsa Öberg”', wrap: true },
    { type: 'FactSet', facts: [{ title: 'E-post', value: 'åsa@example.se' }] },
  ],
  actions: [{ type: 'Action.Execute', title: 'Begär behörighet', verb: 'request.open', data: { id: 's1' } }],
};

describe('bot/replyContext and connectorPost: the reply path, against botbuilder’s', () => {
  let connector: FakeConnector;
  let openId: FakeOpenIdServer;
  before(async () => {
    connector = await startFakeConnector();
    openId = await startFakeOpenIdServer({ endorsements: ['msteams', 'webchat'] });
  });
  after(async () => {
    await connector.close();
    await openId.close();
  });
  beforeEach(() => connector.reset());

  for (const mode of ['local mode', 'with an app id and an outbound token'] as const) {
    describe(mode, () => {
      let adapter: AnsvarAdapter;
      /** The same adapter with botbuilder's CloudAdapterBase.sendActivities. */
      let botbuilderAdapter: AnsvarAdapter;
      beforeEach(() => {
        adapter =
          mode === 'local mode'
            ? createAdapter(localConfig(), { logger })
            : createAdapter(authConfig(openId), { logger, credentialsFactory: new FixedTokenFactory() });
        adapter.onTurnError = async (_context, error) => {
          throw error;
        };
        botbuilderAdapter = Object.create(adapter, {
          sendActivities: { value: CloudAdapter.prototype.sendActivities },
        }) as AnsvarAdapter;
      });

      const header = (activity: Activity) =>
        mode === 'local mode' ? '' : `Bearer ${openId.sign(openId.claims(APP_ID, activity.serviceUrl))}`;

      /** Runs `logic` in a turn of ours (runTurn), then in botbuilder's TurnContext on botbuilder's send path. */
      async function bothWays(
        activity: Activity,
        logic: Logic,
        before: () => void = () => {},
      ): Promise<[Run, Run]> {
        const auth = await adapter.authenticate(activity, header(activity));
        before();
        let ours: Run | undefined;
        await adapter.runTurn(auth, structuredClone(activity), async (context) => {
          assert.ok(context instanceof ReplyContext, 'the turn runs on the ReplyContext');
          let result: unknown;
          let error: unknown;
          try {
            result = await logic(context);
          } catch (e) {
            error = e;
          }
          ours = outcome(context, result, error, [...connector.calls]);
        });
        connector.reset();
        before();
        const theirs = new TurnContext(botbuilderAdapter, structuredClone(activity));
        theirs.turnState.set(
          adapter.ConnectorClientKey,
          await auth.connectorFactory!.create(activity.serviceUrl, auth.audience),
        );
        let result: unknown;
        let error: unknown;
        try {
          result = await logic(theirs);
        } catch (e) {
          error = e;
        }
        return [ours!, outcome(theirs, result, error, [...connector.calls])];
      }

      function assertSame([ours, theirs]: [Run, Run], calls: number): void {
        assert.equal(ours.calls.length, calls);
        assert.deepEqual(ours.calls.map(wire), theirs.calls.map(wire));
        assert.deepEqual({ ...ours, calls: [] }, { ...theirs, calls: [] });
      }

      const message = (overrides: Record<string, unknown> = {}) =>
        channelMessage({ serviceUrl: connector.serviceUrl, text: 'vem äger Procapita', ...overrides });

      it('sends a card reply as the same request, and answers with the same response', async () => {
        const runs = await bothWays(message(), async (context) => {
          const response = await context.sendActivity({
            type: 'message',
            text: 'Procapita: systemägare Åsa Öberg',
            textFormat: 'plain',
            attachments: [CardFactory.adaptiveCard(card)],
          });
          return {
            response,
            raw: (response as { _response?: { status?: number } })._response?.status,
          };
        });
        assertSame(runs, 1);
        const [ours] = runs;
        assert.deepEqual(ours.result, { response: { id: '#0' }, raw: 200 });
        assert.equal(ours.responded, true);
        assert.match(ours.calls[0]!.raw.url, /\/v3\/conversations\/[^/]+\/activities\/incoming-\d+$/);
        const authorization = ours.calls[0]!.authorization;
        assert.equal(authorization, mode === 'local mode' ? undefined : `Bearer ${OUTBOUND_TOKEN}`);
      });

      it('sends text with speak and input hint, several activities in order, drops traces, keeps invoke responses', async () => {
        const runs = await bothWays(message({ locale: 'nb-NO' }), async (context) => {
          const first = await context.sendActivity('Hei – blåbær', 'Hei', 'expectingInput');
          const rest = await context.sendActivities([
            { type: 'typing', id: 'drop-this-id' },
            {
              text: 'no type given',
              locale: 'sv-SE',
              timestamp: new Date('2026-12-07T10:00:00.000Z'),
              entities: [{ type: 'mention', text: '<at>Anna</at>', mentioned: { id: '29:a', name: 'Anna' } }],
              channelData: { notification: { alert: true }, nested: [1, 'två'] },
              suggestedActions: { to: ['29:a'], actions: [{ type: 'imBack', title: 'Ja', value: 'ja' }] },
              value: { verb: 'x', n: 1 },
              extra: 'not in the schema',
            } as Partial<Activity>,
            { type: 'trace', name: 'not sent', value: { a: 1 } },
            { type: 'invokeResponse', value: { status: 200, body: { ok: true } } },
          ]);
          return { first, rest };
        });
        assertSame(runs, 3);
      });

      it('runs send hooks around the send and gives the copies they saw the connector’s ids', async () => {
        const runs = await bothWays(message(), async (context) => {
          const seen: unknown[] = [];
          context.onSendActivities(async (_context, activities, next) => {
            seen.push(activities.map((a) => ({ ...a, attachments: undefined })));
            activities.push(
              TurnContext.applyConversationReference(
                { type: 'message', text: 'added by the hook' },
                TurnContext.getConversationReference(context.activity),
              ),
            );
            const responses = await next();
            seen.push(activities.map((a) => a.id));
            return responses;
          });
          const responses = await context.sendActivities([
            { type: 'message', text: 'one', attachments: [CardFactory.adaptiveCard(card)] },
          ]);
          return { responses, seen: JSON.parse(JSON.stringify(seen)) as unknown };
        });
        assertSame(runs, 2);
        assert.deepEqual((runs[0].result as { seen: unknown[] }).seen[1], ['#0', '#1']);
      });

      it('sends to the conversation when there is nothing to reply to', async () => {
        const update = message({
          type: 'conversationUpdate',
          channelId: 'webchat',
          text: undefined,
          membersAdded: [{ id: '29:user-anna' }],
        });
        const runs = await bothWays(update, (context) => context.sendActivity('välkommen'));
        assertSame(runs, 1);
        assert.match(runs[0].calls[0]!.raw.url, /\/v3\/conversations\/[^/]+\/activities$/);
      });

      it('buffers replies for expectReplies instead of sending them', async () => {
        const runs = await bothWays(message({ deliveryMode: DeliveryModes.ExpectReplies }), (context) =>
          context.sendActivities([
            { type: 'message', text: 'buffered' },
            { type: 'invokeResponse', value: { status: 200 } },
          ]),
        );
        assertSame(runs, 0);
        assert.equal(runs[0].buffered.length, 2);
      });

      it('fails with the same RestError when the connector refuses a reply', async () => {
        const runs = await bothWays(
          message(),
          (context) => context.sendActivity({ type: 'message', text: 'refused' }),
          () =>
            connector.failNext(403, {
              error: {
                code: 'ConversationBlockedByUser',
                message: 'User blocked the conversation with the bot.',
              },
            }),
        );
        assertSame(runs, 1);
        assert.equal((runs[0].error as { statusCode?: number }).statusCode, 403);
        assert.equal((runs[0].error as { code?: string }).code, 'ConversationBlockedByUser');
        assert.equal(runs[0].responded, false);
      });

      it('refuses an activity the connector’s schema refuses with the same error, before any request', async () => {
        const runs = await bothWays(message(), (context) =>
          context.sendActivity({ type: 'message', text: 5 as unknown as string }),
        );
        assertSame(runs, 0);
        assert.match(
          (runs[0].error as { message?: string }).message ?? '',
          /^Error ".*must be of type string\." occurred in serializing the payload - "Activity"\.$/,
        );
      });

      it('retries a throttled reply after Retry-After as botbuilder’s pipeline does', async () => {
        const runs = await bothWays(
          message(),
          (context) => context.sendActivity({ type: 'message', text: 'throttled once' }),
          () =>
            connector.failNext(429, { error: { code: 'Throttled' } }, { headers: { 'retry-after': '0' } }),
        );
        assertSame(runs, 2);
        assert.deepEqual(runs[0].result, { id: '#1' });
      });
    });
  }
});
