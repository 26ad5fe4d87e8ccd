import { memoryStores } from '../fixtures/appServices.js';
import assert from 'node:assert/strict';
import http from 'node:http';
import { pino } from 'pino';
import { createAdapter, isLoopbackUrl } from '../../bot/adapter.js';
import { loadConfig, type Config } from '../../services/infrastructure/config.js';
import { isAnsvarError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import { startFakeConnector } from '../../fakes/fakeConnector.js';
import { RecordingBot } from '../../fakes/recordingBot.js';
import { channelInvoke, channelMessage, postActivity } from '../../fakes/channelClient.js';
import { HOSTS, useTestServer } from '../fixtures/testServer.js';

function localConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: '0',
    ANSVAR_DATA_DIR: '.ansvar-unused',
    ANSVAR_SAMPLE_ON_EMPTY: 'false',
    ...env,
  });
}

/** Sends raw bytes with explicit headers (fetch would fix up content-length and encoding). */
function rawPost(
  baseUrl: string,
  headers: Record<string, string>,
  chunks: Buffer[],
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}/api/messages`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    // The server may answer and close before the whole body is written.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

for (const host of HOSTS)
  describe(`bot/http, ${host} host`, () => {
    let bot: RecordingBot;
    afterEach(() => bot.release());
    const server = useTestServer({
      host,
      config: () => localConfig(),
      app: () => ({ bot: (bot = new RecordingBot()), ...memoryStores() }),
    });
    const { connector, app } = server;

    const message = (overrides = {}) => channelMessage({ serviceUrl: connector.serviceUrl, ...overrides });

    it('runs the bot for a valid activity, answers 200 and the reply reaches the service URL', async () => {
      const res = await postActivity(app.url, message({ text: 'hej' }));
      assert.equal(res.status, 200);
      assert.deepEqual(
        bot.turns.map((t) => t.text),
        ['hej'],
      );
      const [call] = await connector.waitForCalls(1);
      assert.equal(call?.body.text, 'echo: hej');
    });

    it('tags every log line written during a turn with the activity and conversation ids, and no other line', async () => {
      const lines: string[] = [];
      const target = logger as unknown as Record<symbol, unknown>;
      const stream = target[pino.symbols.streamSym];
      const level = logger.level;
      const original = bot.run.bind(bot);
      bot.run = async (context) => {
        logger.child({ component: 'probe' }).info('inside the turn');
        await new Promise((resolve) => setImmediate(resolve));
        logger.info('later in the turn');
        await original(context);
      };
      target[pino.symbols.streamSym] = { write: (line: string) => lines.push(line) };
      logger.level = 'info';
      try {
        const activity = message({ text: 'hej' });
        assert.equal((await postActivity(app.url, activity)).status, 200);
        logger.info('outside the turn');
        const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
        const byMessage = (msg: string) => logged.find((entry) => entry.msg === msg);
        for (const msg of ['inside the turn', 'later in the turn']) {
          assert.equal(byMessage(msg)?.activityId, activity.id, msg);
          assert.equal(byMessage(msg)?.conversationId, activity.conversation.id, msg);
        }
        assert.equal(byMessage('inside the turn')?.component, 'probe');
        assert.ok(byMessage('outside the turn') !== undefined, 'the line outside the turn was captured');
        assert.equal(byMessage('outside the turn')?.activityId, undefined);
      } finally {
        target[pino.symbols.streamSym] = stream;
        logger.level = level;
      }
    });

    describe('refuses bodies the bot must not see', () => {
      it('refuses a body that is not application/json with 415', async () => {
        const res = await postActivity(app.url, JSON.stringify(message()), { 'content-type': 'text/plain' });
        assert.equal(res.status, 415);
        assert.deepEqual(res.json(), { error: 'Unsupported media type' });
        assert.equal(bot.turns.length, 0);
      });

      it('refuses a request without a content type with 415', async () => {
        const body = Buffer.from(JSON.stringify(message()));
        const res = await rawPost(app.url, { 'content-length': String(body.length) }, [body]);
        assert.equal(res.status, 415);
        assert.equal(bot.turns.length, 0);
      });

      it('refuses a gzip-encoded body with 415 instead of inflating it', async () => {
        const body = Buffer.from(JSON.stringify(message()));
        const res = await rawPost(
          app.url,
          {
            'content-type': 'application/json',
            'content-encoding': 'gzip',
            'content-length': String(body.length),
          },
          [body],
        );
        assert.equal(res.status, 415);
        assert.equal(bot.turns.length, 0);
      });

      it('refuses a body declared larger than MAX_BODY_BYTES with 413', async () => {
        const text = 'x'.repeat(300 * 1024);
        const res = await postActivity(app.url, message({ text }));
        assert.equal(res.status, 413);
        assert.deepEqual(res.json(), { error: 'Payload too large' });
        assert.equal(bot.turns.length, 0);
      });

      it('refuses a chunked body that grows past MAX_BODY_BYTES with 413', async () => {
        const json = Buffer.from(JSON.stringify(message({ text: 'y'.repeat(300 * 1024) })));
        const chunks = [
          json.subarray(0, 100 * 1024),
          json.subarray(100 * 1024, 200 * 1024),
          json.subarray(200 * 1024),
        ];
        const res = await rawPost(
          app.url,
          { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
          chunks,
        );
        assert.equal(res.status, 413);
        assert.deepEqual(JSON.parse(res.text), { error: 'Payload too large' });
        assert.equal(bot.turns.length, 0);
      });

      it('refuses malformed JSON with 400 and no parser message', async () => {
        const res = await postActivity(app.url, '{"type": "message", ');
        assert.equal(res.status, 400);
        assert.deepEqual(res.json(), { error: 'Bad request' });
        assert.equal(bot.turns.length, 0);
      });

      const incomplete: [string, (a: Record<string, unknown>) => unknown][] = [
        ['without a type', ({ type: _type, ...rest }) => rest],
        ['without a serviceUrl', ({ serviceUrl: _url, ...rest }) => rest],
        ['with a serviceUrl that is not an http URL', (a) => ({ ...a, serviceUrl: 'file:///etc/passwd' })],
        ['without conversation.id', (a) => ({ ...a, conversation: { conversationType: 'personal' } })],
        ['without from', ({ from: _from, ...rest }) => rest],
        ['that is a JSON array', (a) => [a]],
        ['that is an empty body', () => ''],
      ];
      for (const [name, mutate] of incomplete) {
        it(`refuses an activity ${name} with 400`, async () => {
          const body = mutate(message() as unknown as Record<string, unknown>);
          const res = await postActivity(app.url, body);
          assert.equal(res.status, 400);
          assert.deepEqual(res.json(), { error: 'Bad request' });
          assert.equal(bot.turns.length, 0);
        });
      }

      it('answers an unknown path with a generic 404', async () => {
        const res = await fetch(`${app.url}/api/other`, { method: 'POST' });
        assert.equal(res.status, 404);
        assert.deepEqual(await res.json(), { error: 'Not found' });
      });

      it('answers GET /api/messages with a generic 405', async () => {
        const res = await fetch(`${app.url}/api/messages`);
        assert.equal(res.status, 405);
        assert.deepEqual(await res.json(), { error: 'Method not allowed' });
      });
    });

    describe('invoke activities', () => {
      it('passes the invoke response the turn produced through as status and body', async () => {
        const card = {
          statusCode: 200,
          type: 'application/vnd.microsoft.card.adaptive',
          value: { type: 'AdaptiveCard' },
        };
        bot.invokeResponse = { status: 200, body: card };
        const res = await postActivity(
          app.url,
          channelInvoke(
            'adaptiveCard/action',
            { action: { type: 'Action.Execute', verb: 'x' } },
            { serviceUrl: connector.serviceUrl },
          ),
        );
        assert.equal(res.status, 200);
        assert.deepEqual(res.json(), card);
        assert.deepEqual(
          bot.turns.map((t) => t.name),
          ['adaptiveCard/action'],
        );
      });

      it('answers an invoke whose turn throws with the fixed error body, never the exception text', async () => {
        bot.run = async () => {
          throw new Error('secret detail from inside the turn');
        };
        const res = await postActivity(
          app.url,
          channelInvoke(
            'adaptiveCard/action',
            { action: { type: 'Action.Execute', verb: 'x' } },
            { serviceUrl: connector.serviceUrl },
          ),
        );
        assert.equal(res.status, 200);
        assert.deepEqual(res.json(), {
          statusCode: 500,
          type: 'application/vnd.microsoft.error',
          value: { code: 'InternalError', message: 'The request could not be completed.' },
        });
      });

      it('answers a repeated invoke (same activity id) with the first answer and runs the bot once', async () => {
        bot.invokeResponse = { status: 200, body: { statusCode: 200, type: 'x', value: 'first' } };
        const invoke = channelInvoke(
          'adaptiveCard/action',
          { action: { type: 'Action.Execute', verb: 'x' } },
          { serviceUrl: connector.serviceUrl },
        );
        const first = await postActivity(app.url, invoke);
        bot.invokeResponse = { status: 200, body: { statusCode: 200, type: 'x', value: 'second' } };
        const repeat = await postActivity(app.url, invoke);
        assert.equal(repeat.status, 200);
        assert.deepEqual(repeat.json(), first.json());
        assert.equal(bot.turns.length, 1);
      });

      it('passes a non-200 invoke status through', async () => {
        bot.invokeResponse = { status: 409, body: { reason: 'already decided' } };
        const res = await postActivity(
          app.url,
          channelInvoke('task/fetch', {}, { serviceUrl: connector.serviceUrl }),
        );
        assert.equal(res.status, 409);
        assert.deepEqual(res.json(), { reason: 'already decided' });
      });

      it('answers an adaptiveCard/action with an unknown verb from the TeamsBot with 400', async () => {
        await server.restart({ ...memoryStores() });
        const res = await postActivity(
          app.url,
          channelInvoke(
            'adaptiveCard/action',
            { action: { type: 'Action.Execute', verb: 'no.such.verb', data: {} } },
            { serviceUrl: connector.serviceUrl },
          ),
        );
        assert.equal(res.status, 400);
        assert.equal((res.json() as { statusCode: number }).statusCode, 400);
        assert.doesNotMatch(res.text, /no\.such\.verb/);
      });

      it('answers an invoke whose turn threw with an error body that carries no internal text', async () => {
        class FailingBot extends RecordingBot {
          protected override async onInvokeActivity(): Promise<never> {
            throw new Error('secret internal detail');
          }
        }
        await server.restart({ bot: new FailingBot(), ...memoryStores() });
        const res = await postActivity(
          app.url,
          channelInvoke('adaptiveCard/action', {}, { serviceUrl: connector.serviceUrl }),
        );
        assert.equal(res.status, 200);
        const body = res.json() as { statusCode: number; type: string };
        assert.equal(body.statusCode, 500);
        assert.equal(body.type, 'application/vnd.microsoft.error');
        assert.doesNotMatch(res.text, /secret internal detail/);
      });
    });

    describe('/healthz', () => {
      it('answers 200 {status: "ready"} once the app is ready', async () => {
        const res = await fetch(`${app.url}/healthz`);
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { status: 'ready' });
      });

      it('answers 503 and refuses new messages while stopping, and lets the running turn finish', async () => {
        bot.hold();
        const started = bot.nextTurnStarted();
        const inFlight = postActivity(app.url, message({ text: 'first' }));
        await started;
        const closed = app.close();

        const health = await fetch(`${app.url}/healthz`);
        assert.equal(health.status, 503);
        assert.deepEqual(await health.json(), { status: 'stopping' });
        const refused = await postActivity(app.url, message({ text: 'second' }));
        assert.equal(refused.status, 503);

        bot.release();
        assert.equal((await inFlight).status, 200);
        await closed;
        assert.deepEqual(
          bot.turns.map((t) => t.text),
          ['first'],
        );
        await connector.waitForCalls(1);
        assert.equal(connector.activities[0]?.text, 'echo: first');
      });
    });

    describe('local mode', () => {
      const foreign = [
        'https://smba.trafficmanager.net/emea/',
        'http://10.0.0.5:8080/',
        'http://169.254.169.254/latest/meta-data/',
        'http://127.0.0.1.attacker.example/',
        'http://localhost.attacker.example/',
        'http://user@example.com@127.0.0.1/',
      ];
      for (const serviceUrl of foreign) {
        it(`refuses an activity whose serviceUrl is ${serviceUrl} with 403 and never runs the bot`, async () => {
          const res = await postActivity(app.url, channelMessage({ serviceUrl }));
          assert.equal(res.status, 403);
          assert.deepEqual(res.json(), { error: 'Forbidden' });
          assert.equal(bot.turns.length, 0);
        });
      }

      it('listens on 127.0.0.1 only', () => {
        assert.match(app.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      });

      it('recognises loopback service URLs and nothing else', () => {
        for (const url of [
          'http://localhost:3978',
          'http://127.0.0.1/',
          'http://127.1.2.3:1/x',
          'https://[::1]:8443/',
          'http://LOCALHOST/',
        ])
          assert.equal(isLoopbackUrl(url), true, url);
        for (const url of [
          ...foreign,
          'ftp://127.0.0.1/',
          'not a url',
          'http://[::ffff:10.0.0.1]/',
          'http://0.0.0.0/',
        ])
          assert.equal(isLoopbackUrl(url), false, url);
      });

      it('refuses to send a proactive message to a non-loopback service URL', async () => {
        const adapter = createAdapter(localConfig(), { logger });
        const reference = {
          serviceUrl: 'http://10.0.0.5/',
          conversation: { id: 'c1' },
          channelId: 'msteams',
        };
        let ran = false;
        await assert.rejects(
          adapter.continueConversationAsync('', reference as never, async () => {
            ran = true;
          }),
          (error: unknown) => isAnsvarError(error, 'InvalidActivity'),
        );
        assert.equal(ran, false);
      });

      it('sends a proactive message to a loopback service URL', async () => {
        const adapter = createAdapter(localConfig(), { logger });
        const reference = {
          serviceUrl: connector.serviceUrl,
          conversation: { id: 'c1' },
          channelId: 'msteams',
        };
        await adapter.continueConversationAsync('', reference as never, async (context) => {
          await context.sendActivity('proactive hello');
        });
        const [call] = await connector.waitForCalls(1);
        assert.equal(call?.conversationId, 'c1');
        assert.equal(call?.body.text, 'proactive hello');
      });

      it('reuses one connector client for every turn to the same service URL, and a new one for another', async () => {
        const adapter = createAdapter(localConfig(), { logger });
        const other = await startFakeConnector();
        try {
          const clientFor = async (serviceUrl: string) => {
            let client: unknown;
            const reference = { serviceUrl, conversation: { id: 'c1' }, channelId: 'msteams' };
            await adapter.continueConversationAsync('', reference as never, async (context) => {
              client = context.turnState.get(adapter.ConnectorClientKey);
              await context.sendActivity('hello');
            });
            return client;
          };
          const first = await clientFor(connector.serviceUrl);
          const second = await clientFor(connector.serviceUrl);
          const elsewhere = await clientFor(other.serviceUrl);
          assert.ok(first !== undefined, 'the turn had a connector client');
          assert.equal(second, first, 'the second turn to the same service URL got the same client');
          assert.notEqual(elsewhere, first, 'another service URL got a client of its own');
          assert.equal((await other.waitForCalls(1))[0]?.body.text, 'hello');
        } finally {
          await other.close();
        }
      });

      it('keeps refusing a non-loopback service URL after a loopback one was served', async () => {
        const adapter = createAdapter(localConfig(), { logger });
        const send = (serviceUrl: string) =>
          adapter.continueConversationAsync(
            '',
            { serviceUrl, conversation: { id: 'c1' }, channelId: 'msteams' } as never,
            async (context) => {
              await context.sendActivity('hello');
            },
          );
        await send(connector.serviceUrl);
        for (let i = 0; i < 2; i += 1) {
          await assert.rejects(send('http://10.0.0.5/'), (error: unknown) =>
            isAnsvarError(error, 'InvalidActivity'),
          );
        }
      });
    });
  });
