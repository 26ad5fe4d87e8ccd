import type { Person } from '../../data/model.js';
import { NameIndex, type Hit, type MatchResult, type SearchScope } from './nameIndex.js';

/** "anna.berg@tanum.se" → "anna.berg", what people type when they know someone's address but not their name. */
function localPart(email: string): string {
  return email.split('@')[0] ?? email;
}

/** The people of a register snapshot, found by name or e-mail (exact after normalisation, then fuzzy). */
export class PersonIndex {
  private readonly index: NameIndex<Person>;

  private constructor(people: readonly Person[]) {
    this.index = new NameIndex(people, {
      id: (p) => p.id,
      organisationId: (p) => p.organisationId,
      indexPerOrganisation: false,
      exactKeys: (p) => [p.name, p.email, p.id, localPart(p.email)],
      fields: {
        name: { boost: 2, values: (p) => [p.name] },
        email: { boost: 1, values: (p) => [localPart(p.email)] },
      },
    });
  }

  static build(people: readonly Person[]): PersonIndex {
    return new PersonIndex(people);
  }

  get size(): number {
    return this.index.size;
  }

  get(id: string): Person | undefined {
    return this.index.get(id);
  }

  /** The people whose name, e-mail or id has this `normaliseKey` key. */
  byKey(key: string): readonly Person[] | undefined {
    return this.index.byKey(key);
  }

  find(query: string, scope?: SearchScope): MatchResult<Person> {
    return this.index.find(query, scope);
  }

  suggest(query: string, scope?: SearchScope, limit?: number): Hit<Person>[] {
    return this.index.suggest(query, scope, limit);
  }
}
