import assert from 'node:assert/strict';
import sinon from 'sinon';
import {
  TEAMS_CONVERSATION_WINDOWS,
  TEAMS_TENANT_WINDOWS,
  TeamsRateLimiter,
  type RateScope,
} from '../../../bot/delivery/rateLimiter.js';

/** Runs `scopes.length` acquisitions at once on fake time; resolves with the fake time each one was granted at. */
async function grantTimes(clock: sinon.SinonFakeTimers, limiter: TeamsRateLimiter, scopes: RateScope[]) {
  const times: number[] = new Array<number>(scopes.length);
  const all = Promise.all(
    scopes.map((scope, i) => limiter.acquire(scope).then(() => (times[i] = Date.now()))),
  );
  await clock.runAllAsync();
  await all;
  return times;
}

const inConversation = (n: number, conversationId = 'a:anna', tenantId = 't-1'): RateScope[] =>
  Array.from({ length: n }, () => ({ conversationId, tenantId }));

describe('TeamsRateLimiter', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 0 });
  });
  afterEach(() => clock.restore());

  it('lets 7 sends in one conversation through at once and makes the 8th wait until 1 s after the first', async () => {
    const times = await grantTimes(clock, new TeamsRateLimiter(), inConversation(8));
    assert.deepEqual(times.slice(0, 7), [0, 0, 0, 0, 0, 0, 0]);
    assert.equal(times[7], 1000);
  });

  it('makes the 9th send in one conversation wait until 2 s (8 per 2 s)', async () => {
    const times = await grantTimes(clock, new TeamsRateLimiter(), inConversation(9));
    assert.equal(times[7], 1000);
    assert.equal(times[8], 2000);
  });

  for (const { limit, perMs } of TEAMS_CONVERSATION_WINDOWS) {
    it(`never lets more than ${limit} sends into one conversation within ${perMs} ms`, async () => {
      const times = await grantTimes(clock, new TeamsRateLimiter(), inConversation(limit + 1));
      for (let i = 0; i + limit < times.length; i += 1) {
        assert.ok(
          times[i + limit]! - times[i]! >= perMs,
          `sends ${i} and ${i + limit} are ${times[i + limit]! - times[i]!} ms apart`,
        );
      }
    });
  }

  it('does not slow one conversation down because another is busy', async () => {
    const limiter = new TeamsRateLimiter();
    const times = await grantTimes(clock, limiter, [
      ...inConversation(8, 'a:anna'),
      { conversationId: 'a:bo', tenantId: 't-1' },
    ]);
    assert.equal(times[8], 0);
  });

  it(`lets ${TEAMS_TENANT_WINDOWS[0]!.limit} sends per second into one tenant across conversations, then waits`, async () => {
    const scopes = Array.from({ length: 51 }, (_, i) => ({ conversationId: `a:user-${i}`, tenantId: 't-1' }));
    const times = await grantTimes(clock, new TeamsRateLimiter(), scopes);
    assert.equal(times.filter((t) => t === 0).length, 50);
    assert.equal(times[50], 1000);
  });

  it('counts tenants separately', async () => {
    const scopes = Array.from({ length: 51 }, (_, i) => ({
      conversationId: `a:user-${i}`,
      tenantId: i === 50 ? 't-2' : 't-1',
    }));
    const times = await grantTimes(clock, new TeamsRateLimiter(), scopes);
    assert.equal(times[50], 0);
  });

  it('grants waiting sends of one conversation in the order they asked', async () => {
    const limiter = new TeamsRateLimiter();
    const order: number[] = [];
    const all = Promise.all(
      inConversation(10).map((scope, i) => limiter.acquire(scope).then(() => order.push(i))),
    );
    await clock.runAllAsync();
    await all;
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
