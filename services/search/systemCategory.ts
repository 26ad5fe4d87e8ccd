import type { SystemRecord } from '../../data/model.js';
import { NAME_GLOSSARY } from '../nlu/cues.js';
import { fold, keyOfFolded } from '../nlu/normalise.js';
import type { MatchResult } from './nameIndex.js';

/**
 * A system named by what it is rather than what it is called: "lönesystemet", "lønnssystemet", "HR-systemet", "the
 * payroll system". People say it of their own organisation's system, so it is looked for there, by the kind's stem
 * ("lön"), before a name one typo away in another organisation ("lønssystemet" of a Norwegian municipality, once
 * ö and ø are folded alike) gets a say.
 */

/** "<kind>systemet", "<kind>-system", "<kind> system", "the <kind> system": the kind, as typed (folded). */
const KIND_OF_SYSTEM =
  /^(?:the )?(\p{L}{2,}?)(?:-| )?(?:systemet|systemen|systemer|systemene|systema|systems|system)$/u;

/**
 * What may follow a kind inside a register's one-word alias: a linking letter and "system" ("lønssystemet",
 * "lönesystem"), or a definite ending ("journalen", "arkivet").
 */
const LINKED_REST =
  /^(?:[aesu]?(?:systemet|systemen|systemer|systemene|systema|system)|[aesu]|en|et|n|t|ene|ane|arna|erna|na)?$/;

/**
 * The stems a kind of system may be written with in the register: as typed, without a linking letter, glossed. An
 * English kind alone ("who owns finance") is one too: the grammar reads "system" after it as a cue word.
 */
export function kindStems(query: string): string[] {
  return kindStemsOf(query).stems;
}

/**
 * The stems of `kindStems`, and those of them that are the kind as typed or its glosses ("hr", "hrm", "personal"),
 * not the kind with a linking letter dropped ("løn" of "lønssystemet").
 */
function kindStemsOf(query: string): { stems: string[]; typed: ReadonlySet<string> } {
  const folded = fold(query).trim();
  const kind = KIND_OF_SYSTEM.exec(folded)?.[1] ?? (NAME_GLOSSARY.has(folded) ? folded : undefined);
  if (kind === undefined) return { stems: [], typed: new Set() };
  const glosses = (NAME_GLOSSARY.get(kind) ?? []).map(fold);
  const stems = [kind];
  if (kind.length >= 4 && /[aesu]$/.test(kind)) stems.push(kind.slice(0, -1));
  stems.push(...glosses);
  return {
    stems: [...new Set(stems.map(keyOfFolded))],
    typed: new Set([kind, ...glosses].map(keyOfFolded)),
  };
}

/** The words of each system's name and aliases as keys, kept while the (immutable) record lives. */
const WORDS = new WeakMap<SystemRecord, readonly string[]>();

/** The words of a system's name and aliases as keys ("Heroma lön" → "heroma", "lon"; "HR-systemet" one word). */
export function nameWords(system: SystemRecord): readonly string[] {
  let words = WORDS.get(system);
  if (words === undefined) {
    words = [system.name, ...system.aliases].flatMap((name) =>
      fold(name)
        .split(/[^\p{L}\p{N}-]+/u)
        .map(keyOfFolded)
        .filter((word) => word !== ''),
    );
    WORDS.set(system, words);
  }
  return words;
}

/** Whether a word of the system's name or an alias is the stem, or the stem with a linking letter and "system". */
function namesKind(system: SystemRecord, stem: string): boolean {
  return nameWords(system).some((word) => word.startsWith(stem) && LINKED_REST.test(word.slice(stem.length)));
}

/**
 * "systemet", "the system", "fagsystemet", "IT-systemet", "verksamhetssystemet", "the business system": words that
 * say a system is meant but not which (a business system is what every system of the register is).
 */
const ONLY_SYSTEM =
  /^(?:(?:the|our|my|vart|mitt|vart|mitt|this|that|detta|dette|det|den) )?(?:(?:fag|it|ikt|ict|data|dator|verksamhets|verksemds?|virksomhets|business|application|applikasjons|program)[- ]?)?(?:systemet|systemen|systemer|systemene|systema|systems|system)$/;

/**
 * Whether the query only says "system": it names none, though "systemet" is loosely "HR-systemet" (a wrong owner
 * for "vem äger systemet"). Only the asker's own organisation's exact name counts for it ("verksamhetssystemet" is
 * an alias of Storsjö's Treserva, which is no answer to someone in Fjordvik).
 */
export function onlySaysSystem(query: string): boolean {
  return ONLY_SYSTEM.test(fold(query).trim());
}

/**
 * The kinds a system's description says it is, by its first word: "Lön, personaladministration …" is a "lön" system,
 * "Journalsystem for legekontoret" a "journal" one; "Tidigare lönesystem …" says what it was, not what it is.
 */
export function describedKinds(description: string | undefined): string[] {
  // Only the beginning is folded: the index reads every system's description when it is built.
  const first = keyOfFolded(fold(description?.slice(0, 40) ?? '').split(/[^\p{L}\p{N}-]+/u)[0] ?? '');
  return first === '' ? [] : wordKinds(first);
}

/** What `findKindOfSystem` asks of the system index (systemIndex.ts builds these word lists from this module). */
export interface KindWords {
  wordsBeginning(prefix: string): Iterable<{ word: string; systems: readonly SystemRecord[] }>;
  byDescribedKind(organisationId: string, kind: string): readonly SystemRecord[] | undefined;
}

/**
 * The systems of `organisationId` whose name or an alias holds the kind the query names ("Heroma lön" for
 * "lönesystemet" in Storsjö), by the first stem that finds any, else those whose description says it is of that
 * kind; undefined when the query names no kind or the organisation has no system of it. Words found by their
 * beginning in a sorted list, not by a fuzzy search: a kind that is no word of the register costs a bisection.
 */
export function findKindOfSystem(
  index: KindWords,
  query: string,
  organisationId: string,
): (MatchResult<SystemRecord> & { asTyped?: true }) | undefined {
  const { stems, typed } = kindStemsOf(query);
  for (const stem of stems) {
    const systems = new Set<SystemRecord>();
    for (const { word, systems: holders } of index.wordsBeginning(stem)) {
      if (!LINKED_REST.test(word.slice(stem.length))) continue;
      for (const system of holders) if (system.organisationId === organisationId) systems.add(system);
    }
    const hits = [...systems].map((item) => ({ item, score: 1, exact: false }));
    // Found by the kind as typed or glossed ("HR" in "Visma HRM"), not only with a linking letter dropped.
    const asTyped = typed.has(stem) ? ({ asTyped: true } as const) : {};
    if (hits.length === 1) return { kind: 'one', hit: hits[0]!, hits, ...asTyped };
    if (hits.length > 1) return { kind: 'several', hits, ...asTyped };
  }
  // No name says it: the description may ("Sak- og arkivsystem" for "sakssystemet").
  for (const stem of stems) {
    const hits = (index.byDescribedKind(organisationId, stem) ?? []).map((item) => ({
      item,
      score: 1,
      exact: false,
    }));
    if (hits.length === 1) return { kind: 'one', hit: hits[0]!, hits };
    if (hits.length > 1) return { kind: 'several', hits };
  }
  return undefined;
}

/** A name's word as a kind: the word, or the part before "system" and without a linking letter ("karts", "kart"). */
function wordKinds(word: string): string[] {
  const kind = KIND_OF_SYSTEM.exec(word)?.[1];
  if (kind === undefined) return [word];
  return kind.length >= 4 && /[aesu]$/.test(kind) ? [kind, kind.slice(0, -1)] : [kind];
}

/**
 * For a query that names a kind of system, whether a system found loosely is of that kind: a word of its name or an
 * alias whose kind is the query's or one typo from it (the longer of four letters or more), so "lønnsystemet" still
 * finds "lønssystemet" but "vårdsystemet" no longer finds "kartsystemet" through the "systemet" they share.
 * Undefined when the query names no kind.
 */
export function ofKind(query: string): ((system: SystemRecord) => boolean) | undefined {
  const stems = kindStems(query);
  if (stems.length === 0) return undefined;
  return (system) =>
    stems.some((stem) => namesKind(system, stem)) ||
    nameWords(system).some((word) =>
      wordKinds(word).some((kind) =>
        stems.some(
          (stem) => kind === stem || (Math.max(stem.length, kind.length) >= 4 && withinOneEdit(stem, kind)),
        ),
      ),
    );
}

/** Whether two words are at most one insertion, deletion or substitution apart. */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
