import assert from 'node:assert/strict';
import type { ConversationReference } from 'botbuilder';
import type { Clock } from '../../../core/clock.js';
import { logger } from '../../../core/logger.js';
import { createHostAdapter } from '../../../bot/hostAdapter.js';
import { TeamsRateLimiter } from '../../../bot/delivery/rateLimiter.js';
import { ProactiveSender, type SendResult } from '../../../bot/delivery/sender.js';
import { loadConfig, type HostSdk } from '../../../services/infrastructure/config.js';
import { HOSTS, onHost, useTestServer } from '../../fixtures/testServer.js';

/**
 * The sender through each host's real adapter (createHostAdapter, as the app builds it) over HTTP to the fake
 * connector on loopback, which answers the failures Teams gives. What each SDK throws is classified by
 * connectorErrors.ts; the outcome the sender reports must be right on both hosts.
 *
 * Where the hosts differ, it is the SDK, not us: botbuilder's HTTP pipeline retries a 5xx, a dropped connection and a
 * 429 with Retry-After on its own before the sender sees an error (so it may duplicate a send); the Agents SDK's
 * connector client is a plain fetch that retries nothing, so the sender's own rules decide.
 */

/** Manual time: sleeping advances it at once and is recorded (the sender's own waits; not the SDK's). */
function manualClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const CARD = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Beslut behövs' }] };
const BOT_ACCOUNT = { id: '28:ansvar-bot', name: 'Ansvar' };

for (const host of HOSTS)
  describe(`ProactiveSender over HTTP on the ${host} host`, function () {
    // botbuilder's own retries wait about a second (its pipeline, real time).
    this.timeout(20_000);
    const { connector } = useTestServer();
    let sender: ProactiveSender;
    let clock: ReturnType<typeof manualClock>;

    beforeEach(async () => {
      const config = onHost(loadConfig({ LOG_LEVEL: 'silent', ANSVAR_SAMPLE_ON_EMPTY: 'false' }), host);
      const { proactive } = await createHostAdapter(config, { logger });
      clock = manualClock();
      sender = new ProactiveSender({
        adapter: proactive,
        appId: '',
        limiter: new TeamsRateLimiter({ clock }),
        logger,
        clock,
        random: () => 0.5,
      });
    });

    const reference = (): Partial<ConversationReference> => ({
      serviceUrl: connector.serviceUrl,
      channelId: 'msteams',
      conversation: { id: 'a:anna', tenantId: 't-1', conversationType: 'personal', isGroup: false, name: '' },
      user: { id: '29:anna', name: 'Anna', aadObjectId: 'aad-anna' },
      bot: BOT_ACCOUNT,
    });
    const send = () => sender.send(reference(), { text: 'Ärende r-1', card: CARD });
    const failureOf = (result: SendResult) =>
      result.status === 'sent' ? undefined : { status: result.status, ...result.failure };

    it('sends a card from the bot and updates that card in place', async () => {
      const sent = await send();
      assert.equal(sent.status, 'sent');
      const [post] = connector.calls;
      assert.equal(sent.status === 'sent' && sent.activityId, post?.responseId);
      assert.equal(post?.conversationId, 'a:anna');
      assert.deepEqual(post?.body.from, BOT_ACCOUNT, 'the stored bot account is the sender');
      assert.equal(post?.body.text, 'Ärende r-1');
      assert.deepEqual(post?.body.attachments, [
        { contentType: 'application/vnd.microsoft.card.adaptive', content: CARD },
      ]);

      const updated = await sender.update(reference(), 'a:anna', post!.responseId, { text: 'Beslutat' });
      assert.deepEqual(updated, { status: 'sent', conversationId: 'a:anna', activityId: post!.responseId });
      const put = connector.calls[1];
      assert.equal(put?.kind, 'update');
      assert.equal(put?.activityId, post!.responseId);
      assert.equal(put?.body.text, 'Beslutat');
    });

    it('waits out a 429 with Retry-After and then sends once more', async () => {
      connector.failNext(
        429,
        { error: { code: 'Throttled', message: 'slow down' } },
        { headers: { 'retry-after': '1' } },
      );
      assert.equal((await send()).status, 'sent');
      assert.equal(connector.calls.length, 2);
      const expectedSleeps: Record<HostSdk, (sleeps: number[]) => boolean> = {
        // botbuilder's pipeline slept through the Retry-After itself.
        botbuilder: (sleeps) => sleeps.length === 0,
        // The Agents SDK threw at once: the sender waited the named second plus jitter.
        agents: (sleeps) => sleeps.length === 1 && sleeps[0]! >= 1000 && sleeps[0]! <= 1500,
      };
      assert.ok(expectedSleeps[host](clock.sleeps), `sender slept ${JSON.stringify(clock.sleeps)}`);
    });

    it('reports a user who blocked the app (403 MessageWritesBlocked) without retrying', async () => {
      connector.failNext(403, {
        error: { code: 'Forbidden', message: 'blocked', subCode: 'MessageWritesBlocked' },
      });
      const result = await send();
      assert.equal(connector.calls.length, 1);
      assert.deepEqual(failureOf(result), {
        status: 'blocked',
        kind: 'blocked',
        statusCode: 403,
        code: 'MessageWritesBlocked',
      });
    });

    it('reports a 404 (the conversation is gone) as rejected, without retrying', async () => {
      connector.failNext(404, { error: { code: 'ConversationNotFound', message: 'gone' } });
      const result = await send();
      assert.equal(connector.calls.length, 1);
      assert.deepEqual(failureOf(result), {
        status: 'failed',
        kind: 'rejected',
        statusCode: 404,
        code: 'ConversationNotFound',
      });
    });

    it('never sends again itself after a 500 (the message may have been posted)', async () => {
      connector.failNext(500, { error: { code: 'InternalServerError', message: 'oops' } });
      const result = await send();
      if (host === 'botbuilder') {
        // botbuilder's pipeline retried the 5xx on its own, and the second POST was accepted.
        assert.equal(result.status, 'sent');
        assert.equal(connector.calls.length, 2);
      } else {
        assert.equal(connector.calls.length, 1);
        assert.deepEqual(failureOf(result), {
          status: 'failed',
          kind: 'unknown',
          statusCode: 500,
          code: 'InternalServerError',
        });
      }
      assert.deepEqual(clock.sleeps, [], 'the sender itself did not retry');
    });

    it('never sends again itself after a dropped connection (the message may have been posted)', async () => {
      connector.dropNext();
      const result = await send();
      if (host === 'botbuilder') {
        assert.equal(result.status, 'sent', 'botbuilder retried the reset on its own');
        assert.equal(connector.calls.length, 2);
      } else {
        assert.equal(connector.calls.length, 1);
        assert.equal(result.status, 'failed');
        assert.equal(result.status === 'failed' && result.failure.kind, 'unknown');
      }
      assert.deepEqual(clock.sleeps, [], 'the sender itself did not retry');
    });

    it('refuses a service URL that is not loopback in local mode, before any request', async () => {
      const result = await sender.send(
        { ...reference(), serviceUrl: 'https://smba.trafficmanager.net/emea/' },
        {
          text: 'hej',
        },
      );
      assert.equal(result.status, 'failed');
      assert.equal(result.status === 'failed' && result.failure.kind, 'rejected');
      assert.equal(connector.calls.length, 0);
    });
  });
