import type { SystemRecord } from '../../data/model.js';
import { NameIndex, type Hit, type MatchResult, type SearchScope } from './nameIndex.js';
import { describedKinds, nameWords } from './systemCategory.js';

export type { Hit, MatchResult, SearchScope };

/** "Visma Flyt Skole" → "vfs": what people abbreviate a name to when the register has no alias for it. */
function initials(name: string): string[] {
  const words = name.split(/[\s\p{P}]+/u).filter((w) => w.length > 0);
  return words.length >= 2 ? [words.map((w) => w[0]).join('')] : [];
}

/** The words kinds of system are found by (see `SystemIndex.kindWords`). */
interface KindWords {
  /** The systems by each word of their names and aliases (keys, as `nameWords` gives them). */
  byWord: Map<string, SystemRecord[]>;
  /** The words of `byWord`, sorted: the words a prefix begins, by bisection. */
  words: string[];
  /** The systems by organisation and the kind their description says they are (`describedKinds`). */
  described: Map<string, SystemRecord[]>;
}

/**
 * The systems of a register snapshot, found by name or alias (exact after normalisation, then fuzzy). Holds the
 * snapshot's records by reference: build it from a snapshot nobody mutates.
 */
export class SystemIndex {
  private readonly index: NameIndex<SystemRecord>;
  /**
   * The words of names and descriptions that kinds of system are found by ("lönesystemet"), built on the first such
   * question rather than with the index: at 10,000 systems they took 100-150 ms more than its 290 ms, for a rare
   * question.
   */
  private kinds?: KindWords;

  private constructor(private readonly systems: readonly SystemRecord[]) {
    this.index = new NameIndex(systems, {
      id: (s) => s.id,
      organisationId: (s) => s.organisationId,
      indexPerOrganisation: true,
      exactKeys: (s) => [s.name, ...s.aliases],
      fields: {
        name: { boost: 2, values: (s) => [s.name] },
        aliases: { boost: 1.5, values: (s) => s.aliases },
        initials: { boost: 1, values: (s) => initials(s.name) },
      },
    });
  }

  static build(systems: readonly SystemRecord[]): SystemIndex {
    return new SystemIndex(systems);
  }

  get size(): number {
    return this.index.size;
  }

  get(id: string): SystemRecord | undefined {
    return this.index.get(id);
  }

  /** The systems whose name or alias has this `normaliseKey` key, in every organisation. */
  byKey(key: string): readonly SystemRecord[] | undefined {
    return this.index.byKey(key);
  }

  /** One system, several candidates or none; see nameIndex.ts for the rule. */
  find(query: string, scope?: SearchScope): MatchResult<SystemRecord> {
    return this.index.find(query, scope);
  }

  /** What `find` answers for an exact name or alias in the scope; undefined when there is none. */
  findExact(query: string, scope?: SearchScope): MatchResult<SystemRecord> | undefined {
    return this.index.findExact(query, scope);
  }

  /** The systems of an organisation whose description says they are of this kind ("lon"), by `describedKinds`. */
  byDescribedKind(organisationId: string, kind: string): readonly SystemRecord[] | undefined {
    return this.kindWords().described.get(`${organisationId}\n${kind}`);
  }

  /** The words of names and aliases (keys, as `nameWords` gives them) that begin with `prefix`, with their systems. */
  *wordsBeginning(prefix: string): Generator<{ word: string; systems: readonly SystemRecord[] }> {
    const { words, byWord } = this.kindWords();
    let low = 0;
    let high = words.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (words[middle]! < prefix) low = middle + 1;
      else high = middle;
    }
    for (let at = low; at < words.length && words[at]!.startsWith(prefix); at += 1) {
      yield { word: words[at]!, systems: byWord.get(words[at]!)! };
    }
  }

  private kindWords(): KindWords {
    if (this.kinds) return this.kinds;
    const byWord = new Map<string, SystemRecord[]>();
    const described = new Map<string, SystemRecord[]>();
    for (const system of this.systems) {
      for (const word of nameWords(system)) {
        const holders = byWord.get(word);
        if (holders === undefined) byWord.set(word, [system]);
        else if (holders[holders.length - 1] !== system) holders.push(system);
      }
      for (const kind of describedKinds(system.description)) {
        const key = `${system.organisationId}\n${kind}`;
        described.set(key, [...(described.get(key) ?? []), system]);
      }
    }
    this.kinds = { byWord, words: [...byWord.keys()].sort(), described };
    return this.kinds;
  }

  suggest(query: string, scope?: SearchScope, limit?: number): Hit<SystemRecord>[] {
    return this.index.suggest(query, scope, limit);
  }
}
