import type { Person } from '../../data/model.js';
import { slug } from './ids.js';

export type NameMatch =
  | { kind: 'exact' | 'close'; id: string; name: string; source: string }
  | { kind: 'several'; ids: string[] }
  | { kind: 'none' };

/**
 * People found by name: first among the people tables of the import, then in the register; an exact name (case,
 * accents, spacing and word order aside) before a close one (one or two letters off, by length). A name that
 * fits several people is never guessed.
 */
export class PeopleByName {
  private readonly sources: { source: string; people: { id: string; name: string; key: string }[] }[];

  constructor(fromFiles: readonly { id: string; name: string }[], fromRegister: readonly Person[]) {
    const keyed = (list: readonly { id: string; name: string }[]) =>
      list.map((p) => ({ id: p.id, name: p.name, key: nameKey(p.name) }));
    this.sources = [
      { source: 'people table', people: keyed(fromFiles) },
      { source: 'register', people: keyed(fromRegister) },
    ];
  }

  find(name: string): NameMatch {
    const key = nameKey(name);
    if (key === '') return { kind: 'none' };
    for (const { source, people } of this.sources) {
      const ids = [...new Set(people.filter((p) => p.key === key).map((p) => p.id))];
      if (ids.length === 1) return { kind: 'exact', id: ids[0]!, name, source };
      if (ids.length > 1) return { kind: 'several', ids };
    }
    const limit = key.length >= 10 ? 2 : 1;
    for (const { source, people } of this.sources) {
      const close = people.filter((p) => withinDistance(p.key, key, limit));
      const ids = [...new Set(close.map((p) => p.id))];
      if (ids.length === 1) return { kind: 'close', id: ids[0]!, name: close[0]!.name, source };
      if (ids.length > 1) return { kind: 'several', ids };
    }
    return { kind: 'none' };
  }
}

/** "Holm,  Karin" and "karin holm" → "holm karin": accents, case, punctuation and word order do not matter. */
function nameKey(name: string): string {
  return slug(name).split('-').filter(Boolean).sort().join(' ');
}

/** Whether the edit distance between a and b is at most `limit` (small limits only). */
function withinDistance(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return false;
    previous = current;
  }
  return previous[b.length]! <= limit;
}
