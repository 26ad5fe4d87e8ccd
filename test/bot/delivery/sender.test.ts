import assert from 'node:assert/strict';
import type { ConversationReference, TurnContext } from 'botbuilder';
import type { Clock } from '../../../core/clock.js';
import { ProactiveSender, type ProactiveAdapter } from '../../../bot/delivery/sender.js';
import { TeamsRateLimiter } from '../../../bot/delivery/rateLimiter.js';
import { backoffDelay } from '../../../bot/delivery/retry.js';
import { logger } from '../../../core/logger.js';

/** A connector error as botbuilder throws it (RestError: statusCode, code from the body, response headers/body). */
function connectorError(
  statusCode: number,
  options: { code?: string; headers?: Record<string, string>; body?: unknown } = {},
) {
  const headers = new Map(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.assign(new Error(`status ${statusCode}`), {
    name: 'RestError',
    statusCode,
    code: options.code,
    response: {
      headers: { get: (name: string) => headers.get(name.toLowerCase()) },
      bodyAsText: JSON.stringify(options.body ?? {}),
    },
  });
}

/** Manual time: sleeping advances it at once and is recorded. */
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

/** Answers each connector call with the next scripted outcome (an error to throw, or success). */
function scriptedAdapter(script: (Error | 'ok')[]): ProactiveAdapter & { calls: number } {
  const adapter = {
    calls: 0,
    async continueConversationAsync(
      _appId: string,
      _ref: Partial<ConversationReference>,
      logic: (c: TurnContext) => Promise<void>,
    ) {
      const context = {
        sendActivity: async () => {
          adapter.calls += 1;
          const next = script.shift() ?? 'ok';
          if (next !== 'ok') throw next;
          return { id: `activity-${adapter.calls}` };
        },
        updateActivity: async () => {
          adapter.calls += 1;
          const next = script.shift() ?? 'ok';
          if (next !== 'ok') throw next;
        },
      } as unknown as TurnContext;
      await logic(context);
    },
  };
  return adapter;
}

const reference: Partial<ConversationReference> = {
  serviceUrl: 'http://127.0.0.1:9',
  channelId: 'msteams',
  conversation: { id: 'a:anna', tenantId: 't-1', conversationType: 'personal', isGroup: false, name: '' },
};

function senderWith(script: (Error | 'ok')[]) {
  const clock = manualClock();
  const adapter = scriptedAdapter(script);
  const sender = new ProactiveSender({
    adapter,
    appId: '',
    limiter: new TeamsRateLimiter({ clock }),
    logger,
    clock,
    random: () => 0.5,
    retryPolicy: { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 15_000 },
  });
  return { sender, adapter, clock };
}

describe('ProactiveSender', () => {
  it('retries a 429 after the Retry-After the connector named, and then sends once', async () => {
    const { sender, adapter, clock } = senderWith([
      connectorError(429, { headers: { 'Retry-After': '3' } }),
      'ok',
    ]);
    const result = await sender.send(reference, { text: 'hej' });
    assert.deepEqual(result, { status: 'sent', conversationId: 'a:anna', activityId: 'activity-2' });
    assert.equal(adapter.calls, 2);
    assert.equal(clock.sleeps.length, 1);
    assert.ok(clock.sleeps[0]! >= 3000 && clock.sleeps[0]! <= 3500, `waited ${clock.sleeps[0]} ms`);
  });

  it('retries a 429 without Retry-After with jittered exponential backoff', async () => {
    const { sender, adapter, clock } = senderWith([connectorError(429), connectorError(429), 'ok']);
    assert.equal((await sender.send(reference, { text: 'hej' })).status, 'sent');
    assert.equal(adapter.calls, 3);
    assert.deepEqual(clock.sleeps, [250, 500]);
  });

  for (const status of [502, 504, 412]) {
    it(`retries a ${status} (the connector did not accept the message)`, async () => {
      const { sender, adapter } = senderWith([connectorError(status), 'ok']);
      assert.equal((await sender.send(reference, { text: 'hej' })).status, 'sent');
      assert.equal(adapter.calls, 2);
    });
  }

  it('gives up after the bounded number of attempts and reports a failure that may be retried later', async () => {
    const { sender, adapter } = senderWith([502, 502, 502, 502, 502].map((s) => connectorError(s)));
    const result = await sender.send(reference, { text: 'hej' });
    assert.equal(adapter.calls, 4);
    assert.equal(result.status, 'failed');
    assert.equal(result.status === 'failed' && result.failure.kind, 'notAccepted');
  });

  it('does not retry a 400', async () => {
    const { sender, adapter } = senderWith([connectorError(400, { code: 'BadArgument' }), 'ok']);
    const result = await sender.send(reference, { text: 'hej' });
    assert.equal(adapter.calls, 1);
    assert.equal(result.status === 'failed' && result.failure.kind, 'rejected');
  });

  it('does not retry a 500 (the message may have been posted) and reports the outcome as unknown', async () => {
    const { sender, adapter } = senderWith([connectorError(500), 'ok']);
    const result = await sender.send(reference, { text: 'hej' });
    assert.equal(adapter.calls, 1);
    assert.equal(result.status === 'failed' && result.failure.kind, 'unknown');
  });

  it('reports a 403 MessageWritesBlocked as blocked without retrying', async () => {
    const blocked = connectorError(403, {
      code: 'Forbidden',
      body: { error: { code: 'Forbidden', subCode: 'MessageWritesBlocked' } },
    });
    const { sender, adapter } = senderWith([blocked, 'ok']);
    const result = await sender.send(reference, { text: 'hej' });
    assert.equal(adapter.calls, 1);
    assert.equal(result.status, 'blocked');
  });

  it('reports a 403 ConversationBlockedByUser as blocked too', async () => {
    const { sender } = senderWith([connectorError(403, { code: 'ConversationBlockedByUser' })]);
    assert.equal((await sender.send(reference, { text: 'hej' })).status, 'blocked');
  });

  it('does not sleep through a Retry-After longer than its longest backoff; the caller defers instead', async () => {
    const { sender, adapter, clock } = senderWith([
      connectorError(429, { headers: { 'Retry-After': '600' } }),
      'ok',
    ]);
    const result = await sender.send(reference, { text: 'hej' });
    assert.equal(adapter.calls, 1);
    assert.deepEqual(clock.sleeps, []);
    assert.equal(
      result.status === 'failed' && result.failure.kind === 'throttled' && result.failure.retryAfterMs,
      600_000,
    );
  });
});

describe('backoffDelay', () => {
  const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };

  it('draws from [0, base·2^(n-1)], capped at the maximum (full jitter)', () => {
    assert.equal(
      backoffDelay(1, policy, () => 0.999),
      99,
    );
    assert.equal(
      backoffDelay(3, policy, () => 0.999),
      399,
    );
    assert.equal(
      backoffDelay(8, policy, () => 0.999),
      999,
    );
    assert.equal(
      backoffDelay(8, policy, () => 0),
      0,
    );
  });

  it('waits at least the Retry-After time', () => {
    assert.equal(
      backoffDelay(1, policy, () => 0, 2000),
      2000,
    );
  });
});
