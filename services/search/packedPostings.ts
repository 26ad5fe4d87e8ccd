import type SearchableMap from 'minisearch/SearchableMap';
import { FrozenWords } from './frozenWords.js';
import { radixTreeOf } from './wordTrie.js';

/**
 * A built MiniSearch index keeps, for every word, a Map of fields each holding a Map of documents → frequency: on a
 * 10,000-system register some 70,000 small Maps whose hash tables were most of the name index's heap. The index is
 * never changed after it is built, so `packPostings` replaces each word's Maps with one small object over a shared
 * Int32Array that answers the few calls MiniSearch's search makes of them (`get`, `size`, `keys`) with the same
 * values in the same order: scores and the order of results are unchanged.
 *
 * Layout of one word's postings: per field that holds it, [fieldId, count, doc₁, freq₁, …, docₙ, freqₙ], the
 * documents in the order MiniSearch added them (ascending short ids, as `addAll` numbers them).
 */

/** One word's documents and frequencies in one field, as MiniSearch reads a `Map<docId, freq>`. */
class FieldPostings {
  constructor(
    private readonly buffer: Int32Array,
    /** Index of doc₁. */
    private readonly start: number,
    readonly size: number,
  ) {}

  *keys(): IterableIterator<number> {
    const end = this.start + 2 * this.size;
    for (let i = this.start; i < end; i += 2) yield this.buffer[i]!;
  }

  /** Binary search: the documents are in ascending order. */
  get(docId: number): number | undefined {
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const doc = this.buffer[this.start + 2 * middle]!;
      if (doc === docId) return this.buffer[this.start + 2 * middle + 1];
      if (doc < docId) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }
}

/** One word's postings, as MiniSearch reads a `Map<fieldId, Map<docId, freq>>`. */
export class TermPostings {
  constructor(
    private readonly buffer: Int32Array,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get(fieldId: number): FieldPostings | undefined {
    const buffer = this.buffer;
    for (let i = this.start; i < this.end; i += 2 + 2 * buffer[i + 1]!) {
      if (buffer[i] === fieldId) return new FieldPostings(buffer, i + 2, buffer[i + 1]!);
    }
    return undefined;
  }
}

/**
 * Packs the postings of a MiniSearch index that will not change again (see the module comment) and puts its words
 * in a `FrozenWords`, which then answers MiniSearch's lookups; returns it. Returns undefined and leaves the index as
 * it is when its internals are not the ones this was written for (another MiniSearch version): the index then works
 * as before, with more memory.
 */
export function packPostings(search: unknown): FrozenWords<TermPostings> | undefined {
  const index = (search as { _index?: unknown })._index;
  // Not `instanceof`: MiniSearch bundles its own copy of the SearchableMap class.
  if (radixTreeOf(index) === undefined || typeof (index as Iterable<unknown>)[Symbol.iterator] !== 'function')
    return undefined;
  const ranges = new Map<unknown, readonly [number, number]>();
  const values: number[] = [];
  for (const [, fields] of index as SearchableMap<unknown>) {
    if (!(fields instanceof Map)) return undefined;
    const start = values.length;
    for (const [fieldId, documents] of fields as Map<unknown, unknown>) {
      if (typeof fieldId !== 'number' || !(documents instanceof Map)) return undefined;
      values.push(fieldId, documents.size);
      let previous = -1;
      for (const [doc, freq] of documents as Map<unknown, unknown>) {
        if (typeof doc !== 'number' || typeof freq !== 'number' || doc <= previous) return undefined;
        values.push(doc, freq);
        previous = doc;
      }
    }
    ranges.set(fields, [start, values.length]);
  }
  const buffer = Int32Array.from(values);
  const words = FrozenWords.of(index as SearchableMap<unknown>, (fields) => {
    const [start, end] = ranges.get(fields)!;
    return new TermPostings(buffer, start, end);
  });
  if (words === undefined) return undefined;
  (search as { _index: unknown })._index = words;
  shareFieldLengths(search);
  return words;
}

/**
 * MiniSearch keeps each document's field lengths (in words) as an array grown from empty, which reserves room for
 * 17 numbers: 10,000 such arrays for three small numbers. Documents with the same lengths share one exact-size
 * array (there are few distinct ones); MiniSearch only reads them.
 */
function shareFieldLengths(search: unknown): void {
  const lengths = (search as { _fieldLength?: unknown })._fieldLength;
  if (!(lengths instanceof Map)) return;
  const shared = new Map<string, readonly unknown[]>();
  for (const [doc, fieldLengths] of lengths as Map<unknown, unknown>) {
    if (!Array.isArray(fieldLengths)) return;
    const key = fieldLengths.join(',');
    let one = shared.get(key);
    if (one === undefined) {
      one = Object.freeze(Array.from(fieldLengths as unknown[]));
      shared.set(key, one);
    }
    lengths.set(doc, one);
  }
}
