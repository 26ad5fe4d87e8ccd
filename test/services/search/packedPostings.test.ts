import assert from 'node:assert/strict';
import MiniSearch, { type SearchOptions } from 'minisearch';
import { packPostings } from '../../../services/search/packedPostings.js';
import { processTerm } from '../../../services/search/searchTerms.js';

/**
 * The name index packs each MiniSearch partition's postings once it is built (services/search/packedPostings.ts),
 * so a packed index must answer every search exactly as the same index unpacked: the same documents, scores, terms
 * and order, with exact, prefix and fuzzy words combined either way, over documents where a word repeats in a field.
 */

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const LETTERS = 'aabcdeeiklmnoprstuvyåäö';

function word(next: () => number): string {
  const length = 2 + Math.floor(next() * 7);
  return Array.from({ length }, () => LETTERS[Math.floor(next() * LETTERS.length)]!).join('');
}

function documents(next: () => number): Record<string, string>[] {
  const vocabulary = Array.from({ length: 300 }, () => word(next));
  const words = (n: number) =>
    Array.from({ length: n }, () => vocabulary[Math.floor(next() * vocabulary.length)]!).join(' ');
  return Array.from({ length: 800 }, (_, i) => ({
    id: `s${i}`,
    name: words(1 + Math.floor(next() * 3)),
    aliases: next() < 0.6 ? words(1 + Math.floor(next() * 6)) : '',
    initials: next() < 0.3 ? word(next) : '',
  }));
}

function index(docs: readonly Record<string, string>[]): MiniSearch {
  const search = new MiniSearch({ fields: ['name', 'aliases', 'initials'], processTerm });
  search.addAll(docs);
  return search;
}

describe('packPostings', () => {
  it('leaves every search answer of a MiniSearch index as it was', () => {
    const next = random(7);
    const docs = documents(next);
    const plain = index(docs);
    const packed = index(docs);
    assert.ok(
      packPostings(packed) !== undefined,
      'the installed MiniSearch has the internals packPostings expects',
    );
    let results = 0;
    for (let i = 0; i < 300; i += 1) {
      const query = Array.from({ length: 1 + Math.floor(next() * 3) }, () => {
        const doc = docs[Math.floor(next() * docs.length)]!;
        const known = `${doc.name} ${doc.aliases}`.split(' ').filter((w) => w.length > 0);
        const w = known[Math.floor(next() * known.length)]!;
        return next() < 0.3 ? w.slice(0, -1) : next() < 0.3 ? `${w}x` : w;
      }).join(' ');
      const options: SearchOptions = {
        fuzzy: next() < 0.5 ? 1 : 2,
        prefix: next() < 0.5,
        combineWith: next() < 0.5 ? 'AND' : 'OR',
        boost: { name: 2, aliases: 1.5 },
      };
      const expected = plain.search(query, options);
      assert.deepStrictEqual(packed.search(query, options), expected, `"${query}"`);
      results += expected.length;
    }
    assert.ok(results > 3000, `the queries find documents (${results})`);
  });

  it('leaves an index it does not recognise as it was', () => {
    const leaf = new Map([['', 'not postings']]);
    const search = { _index: { _tree: new Map([['a', leaf]]) } };
    assert.equal(packPostings(search), undefined);
    assert.equal(leaf.get(''), 'not postings');
  });
});
