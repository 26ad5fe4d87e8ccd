import assert from 'node:assert/strict';
import SearchableMap from 'minisearch/SearchableMap';
import { FrozenWords } from '../../../services/search/frozenWords.js';

/**
 * The name index and the TermRouter answer MiniSearch's word lookups from FrozenWords (services/search/
 * frozenWords.ts) instead of the radix tree they were built in, so FrozenWords must answer exactly as the tree:
 * the same words and values, and the same order (it decides how scores add up and how ties fall).
 */

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const LETTERS = 'aabcdeeiklmnoprstuvyåäö0';

function word(next: () => number, min: number, max: number): string {
  const length = min + Math.floor(next() * (max - min + 1));
  return Array.from({ length }, () => LETTERS[Math.floor(next() * LETTERS.length)]!).join('');
}

describe('FrozenWords', () => {
  const next = random(11);
  const map = new SearchableMap<number>();
  // Words sharing prefixes and inserted out of order, so the radix tree splits and reorders its nodes.
  const stems = Array.from({ length: 60 }, () => word(next, 2, 5));
  for (let i = 0; i < 3000; i += 1) {
    const stem = stems[Math.floor(next() * stems.length)]!;
    map.set(next() < 0.2 ? stem : stem + word(next, 0, 6), i);
  }
  const frozen = FrozenWords.of(map)!;
  const queries = Array.from({ length: 400 }, () =>
    next() < 0.5 ? word(next, 1, 8) : [...map.keys()][Math.floor(next() * map.size)]!,
  );

  it('holds every word of the tree with its value', () => {
    assert.ok(frozen !== undefined, 'the installed MiniSearch has the radix tree FrozenWords expects');
    assert.equal(frozen.size, map.size);
    for (const [w, value] of map) assert.equal(frozen.get(w), value, w);
    for (const query of queries) assert.equal(frozen.has(query), map.has(query), query);
  });

  it('finds the words under a prefix in the order the tree iterates them', () => {
    let compared = 0;
    for (const query of queries) {
      for (const prefix of [query, query.slice(0, 2), query.slice(0, 1)]) {
        const expected = [...map.atPrefix(prefix)];
        assert.deepStrictEqual(frozen.atPrefix(prefix), expected, `"${prefix}"`);
        compared += expected.length;
      }
    }
    assert.ok(compared > 10_000, `the prefixes find words (${compared})`);
  });

  it('finds the words within an edit distance as fuzzyGet does, in its order', () => {
    let compared = 0;
    for (const query of queries) {
      for (const distance of [1, 2]) {
        const expected = [...map.fuzzyGet(query, distance)];
        assert.deepStrictEqual(
          [...frozen.fuzzyGet(query, distance)],
          expected,
          `"${query}" within ${distance}`,
        );
        compared += expected.length;
      }
    }
    assert.ok(compared > 1000, `the queries find words (${compared})`);
  });

  it('answers from the near words a search was given, in the tree order, and only during it', () => {
    const query = queries.find((q) => map.fuzzyGet(q, 1).size > 3)!;
    const all = [...map.fuzzyGet(query, 1)];
    const some = all.filter((_, i) => i % 2 === 0);
    // Some of the words, reversed and with one the map does not hold, as a TermRouter over several indexes gives.
    const given = [['zzzz', 1] as const, ...some.map(([w, [, d]]) => [w, d] as const).reverse()];
    const near = (term: string, maxDistance: number) =>
      term === query && maxDistance <= 1 ? given : undefined;
    assert.deepStrictEqual(
      frozen.during(near, () => [...frozen.fuzzyGet(query, 1)]),
      some,
    );
    assert.deepStrictEqual([...frozen.fuzzyGet(query, 1)], all, 'its own words after the search');
  });
});
