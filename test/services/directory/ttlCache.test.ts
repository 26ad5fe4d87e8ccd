import assert from 'node:assert/strict';
import { TtlCache } from '../../../services/directory/ttlCache.js';

describe('TtlCache', () => {
  let time: number;
  const now = () => time;

  beforeEach(() => {
    time = 1_000_000;
  });

  it('returns a value until its TTL has passed, then forgets it', () => {
    const cache = new TtlCache<string>({ ttlMs: 1000, now });
    cache.set('a', 'one');
    time += 999;
    assert.equal(cache.get('a'), 'one');
    time += 1;
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.size, 0);
  });

  it('tells a stored undefined from a miss', () => {
    const cache = new TtlCache<string | undefined>({ ttlMs: 1000, now });
    cache.set('a', undefined);
    assert.deepEqual(cache.lookup('a'), { value: undefined });
    assert.equal(cache.lookup('b'), undefined);
  });

  it('evicts the oldest entry beyond maxEntries', () => {
    const cache = new TtlCache<number>({ ttlMs: 1000, maxEntries: 2, now });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 11);
    cache.set('c', 3);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 11);
    assert.equal(cache.get('c'), 3);
  });

  it('stores nothing with a TTL of 0', () => {
    const cache = new TtlCache<number>({ ttlMs: 0, now });
    cache.set('a', 1);
    assert.equal(cache.get('a'), undefined);
  });

  it('shares one load between concurrent callers of the same key and keeps its result', async () => {
    const cache = new TtlCache<number>({ ttlMs: 1000, now });
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((resolve) => setImmediate(resolve));
      return 42;
    };
    const results = await Promise.all([cache.getOrLoad('k', load), cache.getOrLoad('k', load)]);
    assert.deepEqual(results, [42, 42]);
    assert.equal(await cache.getOrLoad('k', load), 42);
    assert.equal(loads, 1);
  });

  it('does not keep a failed load, so the next call loads again', async () => {
    const cache = new TtlCache<number>({ ttlMs: 1000, now });
    await assert.rejects(
      cache.getOrLoad('k', () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await cache.getOrLoad('k', async () => 7), 7);
  });
});
