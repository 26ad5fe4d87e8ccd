import assert from 'node:assert/strict';
import SearchableMap from 'minisearch/SearchableMap';
import { walkOrder, WordTrie } from '../../../services/search/wordTrie.js';

/**
 * The name index answers MiniSearch's fuzzy lookups from a WordTrie (services/search/fuzzyIndex.ts), so a
 * WordTrie must find exactly what SearchableMap.fuzzyGet finds: the same words, distances and order.
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

describe('WordTrie', () => {
  it('finds what SearchableMap.fuzzyGet finds, with the same distances, in the same order', () => {
    const next = random(42);
    const map = new SearchableMap<number>();
    // Words sharing prefixes and inserted out of order, so the radix tree splits and reorders its nodes.
    const stems = Array.from({ length: 60 }, () => word(next, 2, 5));
    for (let i = 0; i < 3000; i += 1) {
      const stem = stems[Math.floor(next() * stems.length)]!;
      map.set(next() < 0.2 ? stem : stem + word(next, 0, 6), i);
    }
    const trie = new WordTrie(walkOrder((map as unknown as { _tree: Map<string, unknown> })._tree));
    let compared = 0;
    for (let i = 0; i < 400; i += 1) {
      const query = next() < 0.5 ? word(next, 1, 11) : [...map.keys()][Math.floor(next() * map.size)]!;
      for (const distance of [1, 2, 3]) {
        const expected = [...map.fuzzyGet(query, distance)].map(([w, [, d]]) => [w, d]);
        assert.deepStrictEqual(trie.within(query, distance), expected, `"${query}" within ${distance}`);
        compared += expected.length;
      }
    }
    assert.ok(compared > 1000, `the queries find words (${compared})`);
  });

  it('finds nothing in an empty vocabulary', () => {
    const trie = new WordTrie(new Map());
    assert.deepStrictEqual(trie.within('abc', 2), [], 'no words');
  });
});
