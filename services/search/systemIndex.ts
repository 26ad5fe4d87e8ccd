import type { SystemRecord } from '../../data/model.js';
import { NameIndex, type Hit, type MatchResult, type SearchScope } from './nameIndex.js';
import { describedKinds, nameWords } from './systemCategory.js';

export type { Hit, MatchResult, SearchScope };

/** "Visma Flyt Skole" → "vfs": what people abbreviate a name to when the register has no alias for it. */
function initials(name: string): string[] {
  const words = name.split(/[\s\p{P}]+/u).filter((w) => w.length > 0);
  return words.length >= 2 ? [words.map((w) => w[0]).join('')] : [];
}

/**
 * The systems of a register snapshot, found by name or alias (exact after normalisation, then fuzzy). Holds the
 * snapshot's records by reference: build it from a snapshot nobody mutates.
 */
export class SystemIndex {
  private readonly index: NameIndex<SystemRecord>;
  /** The systems by organisation and the kind their description says they are (`describedKinds`). */
  private readonly described = new Map<string, SystemRecord[]>();
  /** Every word of every name and alias with its system, sorted by word: the words a prefix begins, by bisection. */
  private readonly words: { word: string; system: SystemRecord }[] = [];

  private constructor(systems: readonly SystemRecord[]) {
    for (const system of systems) for (const word of nameWords(system)) this.words.push({ word, system });
    this.words.sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
    for (const system of systems) {
      for (const kind of describedKinds(system.description)) {
        const key = `${system.organisationId}\n${kind}`;
        this.described.set(key, [...(this.described.get(key) ?? []), system]);
      }
    }
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
    return this.described.get(`${organisationId}\n${kind}`);
  }

  /** The words of names and aliases (keys, as `nameWords` gives them) that begin with `prefix`, with their systems. */
  *wordsBeginning(prefix: string): Generator<{ word: string; system: SystemRecord }> {
    let low = 0;
    let high = this.words.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.words[middle]!.word < prefix) low = middle + 1;
      else high = middle;
    }
    for (let at = low; at < this.words.length && this.words[at]!.word.startsWith(prefix); at += 1) {
      yield this.words[at]!;
    }
  }

  suggest(query: string, scope?: SearchScope, limit?: number): Hit<SystemRecord>[] {
    return this.index.suggest(query, scope, limit);
  }
}
