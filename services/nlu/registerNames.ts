import type { Organisation, Unit } from '../../data/model.js';
import type { RegisterIndexes } from '../search/registerView.js';
import { keyOfFolded, normaliseKey, spelledOut, tokenize } from './normalise.js';

interface Names {
  organisations: Map<string, Organisation>;
  units: Map<string, Unit[]>;
  /** Every word of the systems' names and aliases, by `normaliseKey` ("visma", "flyt", "skole"). */
  systemWords: Set<string>;
  /** Every two neighbouring words of a name or alias, joined by a space ("visma flyt", "flyt skole", "time care"). */
  systemWordPairs: Set<string>;
}

/** Organisation and unit names of a register revision, by `normaliseKey`; made on the first reading. */
const namesByRevision = new WeakMap<RegisterIndexes, Names>();
/** Words organisations' names carry that people leave out. */
const ORGANISATION_SUFFIXES = new Set(['kommune', 'kommun', 'municipality', 'fylkeskommune']);

export function namesOf(indexes: RegisterIndexes): Names {
  let names = namesByRevision.get(indexes);
  if (names) return names;
  const organisations = new Map<string, Organisation>();
  for (const organisation of indexes.organisations.values()) {
    // "Nesøy" is also "Nesoy" (folded) and "Nesoey" (spelled out).
    for (const name of new Set([organisation.name, spelledOut(organisation.name)])) {
      const words = name.split(/\s+/);
      organisations.set(normaliseKey(name), organisation);
      const core = words.filter((w) => !ORGANISATION_SUFFIXES.has(w.toLowerCase()));
      if (core.length > 0 && core.length < words.length) {
        const key = normaliseKey(core.join(' '));
        organisations.set(key, organisation);
        if (key.length > 3) organisations.set(`${key}s`, organisation);
        // "Tanums kommun" is "Tanum" without the Swedish genitive.
        if (key.length > 4 && key.endsWith('s')) organisations.set(key.slice(0, -1), organisation);
      }
    }
  }
  const units = new Map<string, Unit[]>();
  for (const unit of indexes.register.units) {
    for (const key of unitKeys(unit.name)) units.set(key, [...(units.get(key) ?? []), unit]);
  }
  const systemWords = new Set<string>();
  const systemWordPairs = new Set<string>();
  for (const system of indexes.register.systems) {
    for (const name of [system.name, ...system.aliases]) {
      const keys = tokenize(name).map((token) => keyOfFolded(token.folded));
      keys.forEach((key, k) => {
        systemWords.add(key);
        if (k > 0) systemWordPairs.add(`${keys[k - 1]} ${key}`);
      });
    }
  }
  names = { organisations, units, systemWords, systemWordPairs };
  namesByRevision.set(indexes, names);
  return names;
}

/** Words units' names end with that people leave out ("barn och utbildning" for Barn- och utbildningsförvaltningen). */
const UNIT_SUFFIXES = [
  'forvaltningen',
  'forvaltning',
  'enheten',
  'avdelningen',
  'avdelinga',
  'kontoret',
  'sektorn',
  'sektoren',
  'etaten',
  'tenesta',
  'tjenesten',
];

/** A unit's name, and without a suffix people leave out (and the joining s before it), when six letters remain. */
function unitKeys(name: string): string[] {
  const key = normaliseKey(name);
  const keys = [key];
  for (const suffix of UNIT_SUFFIXES) {
    if (!key.endsWith(suffix) || key.length - suffix.length < 6) continue;
    const core = key.slice(0, -suffix.length);
    keys.push(core);
    if (core.endsWith('s') && core.length > 6) keys.push(core.slice(0, -1));
    break;
  }
  return keys;
}
