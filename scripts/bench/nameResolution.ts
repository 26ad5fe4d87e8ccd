import { MemoryRegisterStore } from '../../data/memory/memoryRegisterStore.js';
import type { Register, SystemRecord } from '../../data/model.js';
import type { Asker } from '../../services/responsibility/answers.js';
import { LocalDirectory } from '../../services/directory/localDirectory.js';
import { logger } from '../../core/logger.js';
import { fold } from '../../services/nlu/normalise.js';
import { ResponsibilityService } from '../../services/responsibility/index.js';
import { buildRegisterIndexes } from '../../services/search/registerView.js';
import { SystemIndex } from '../../services/search/systemIndex.js';
import { lookupSystem, suggestSystems } from '../../services/search/systemLookup.js';
import { createRng, type Rng } from './rng.js';
import { summarise, type Summary } from './stats.js';

/**
 * Name resolution: how long the product takes to turn what a user typed into a system, on a large register.
 * Measures the product's own lookup functions for one name, called as ResponsibilityService.whoOwns calls them
 * (`resolve` below); each query timed on its own with `process.hrtime.bigint()`, after a warm-up pass.
 *
 * Queries are asked by someone of the system's own organisation, as most real questions are, except the
 * `elsewhere` kind: a typo or partial name of another organisation's system, which the lookup only finds by
 * searching all organisations. Queries are distinct in the main (same seed, same register), so the index's
 * small result cache spares only the repeats a real user would make too.
 */

export const QUERY_KINDS = ['exact', 'alias', 'folded', 'typo', 'partial', 'elsewhere', 'garbage'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export interface Query {
  kind: QueryKind;
  text: string;
  /** The asker's organisation, as the service passes it. */
  preferOrganisationId: string;
  /** The system the query was made from (none for garbage): for judging answers, not used in timing. */
  systemId?: string;
}

export interface NameResolutionResult {
  systems: number;
  aliases: number;
  /** Building the system index alone, then all of the question path's indexes of the register (people too). */
  systemIndexBuildMs: number;
  registerIndexesBuildMs: number;
  overall: Summary;
  byKind: Record<QueryKind, Summary & { resolvedOne: number }>;
}

const GARBAGE_LETTERS = 'bcdfghjklmnpqrstvwxzq';

function typo(rng: Rng, text: string): string {
  const words = text.split(' ');
  const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => w.length >= 4);
  if (candidates.length === 0) return `${text}x`;
  const [word, index] = rng.pick(candidates);
  const chars = [...word];
  const at = rng.int(1, chars.length - 2);
  const letter = 'abcdefghijklmnoprstuv'[rng.int(0, 20)]!;
  switch (rng.int(0, 3)) {
    case 0:
      chars[at] = chars[at] === letter ? 'q' : letter;
      break;
    case 1:
      chars.splice(at, 1);
      break;
    case 2:
      chars.splice(at, 0, letter);
      break;
    default:
      [chars[at], chars[at + 1]] = [chars[at + 1]!, chars[at]!];
  }
  words[index] = chars.join('');
  return words.join(' ');
}

function partial(rng: Rng, system: SystemRecord): string {
  const words = system.name.split(' ');
  if (words.length >= 2) return rng.chance(0.5) ? words.slice(0, -1).join(' ') : words[words.length - 1]!;
  return system.name.slice(0, Math.max(3, Math.ceil(system.name.length * 0.6)));
}

function garbage(rng: Rng): string {
  const word = () => Array.from({ length: rng.int(4, 9) }, () => rng.pick([...GARBAGE_LETTERS])).join('');
  return rng.chance(0.5) ? word() : `${word()} ${word()}`;
}

/** `perKind` queries of each kind, drawn deterministically from the register. */
export function buildQueries(register: Register, perKind: number, seed = 7): Query[] {
  const rng = createRng(seed);
  const systems = register.systems;
  const withAliases = systems.filter((s) => s.aliases.length > 0);
  const withDiacritics = systems.filter((s) => fold(s.name) !== s.name.toLowerCase());
  const queries: Query[] = [];
  const org = (s: SystemRecord) => s.organisationId;
  /** An organisation other than the system's (the system's own when the register has only one). */
  const otherThan = (s: SystemRecord) => {
    const others = register.organisations.filter((o) => o.id !== s.organisationId);
    return others.length > 0 ? rng.pick(others).id : s.organisationId;
  };
  for (let i = 0; i < perKind; i += 1) {
    const system = rng.pick(systems);
    const aliased = rng.pick(withAliases);
    const accented = withDiacritics.length > 0 ? rng.pick(withDiacritics) : system;
    const mistyped = rng.pick(systems);
    const foreign = rng.pick(systems);
    queries.push(
      { kind: 'exact', text: system.name, preferOrganisationId: org(system), systemId: system.id },
      {
        kind: 'alias',
        text: rng.pick(aliased.aliases),
        preferOrganisationId: org(aliased),
        systemId: aliased.id,
      },
      {
        kind: 'folded',
        text: fold(accented.name),
        preferOrganisationId: org(accented),
        systemId: accented.id,
      },
      {
        kind: 'typo',
        text: typo(rng, mistyped.name),
        preferOrganisationId: org(mistyped),
        systemId: mistyped.id,
      },
      { kind: 'partial', text: partial(rng, system), preferOrganisationId: org(system), systemId: system.id },
      {
        kind: 'elsewhere',
        text: rng.chance(0.5) ? typo(rng, foreign.name) : partial(rng, foreign),
        preferOrganisationId: otherThan(foreign),
        systemId: foreign.id,
      },
      { kind: 'garbage', text: garbage(rng), preferOrganisationId: rng.pick(register.organisations).id },
    );
  }
  return rng.shuffle(queries);
}

const SUGGESTION_LIMIT = 5;

/**
 * What ResponsibilityService.whoOwns (services/responsibility/index.ts) does to find the system of a question without
 * "i <organisation>", asked by someone of `preferOrganisationId`: `lookupSystem`, and on no match the suggestions
 * of the "no match" answer. The same functions, so the figure moves when the product's lookup does.
 */
function resolve(index: SystemIndex, query: Query): boolean {
  const result = lookupSystem(index, query.text, { homeOrganisationId: query.preferOrganisationId });
  if (result.kind === 'none') suggestSystems(index, query.text, query.preferOrganisationId, SUGGESTION_LIMIT);
  return result.kind === 'one';
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function measureNameResolution(
  register: Register,
  options: { perKind?: number; warmupPasses?: number } = {},
): NameResolutionResult {
  collectGarbage();
  let start = process.hrtime.bigint();
  const index = SystemIndex.build(register.systems);
  const systemIndexBuildMs = Number(process.hrtime.bigint() - start) / 1e6;
  collectGarbage();
  start = process.hrtime.bigint();
  buildRegisterIndexes(register);
  const registerIndexesBuildMs = Number(process.hrtime.bigint() - start) / 1e6;

  const queries = buildQueries(register, options.perKind ?? 1000);
  for (let pass = 0; pass < (options.warmupPasses ?? 1); pass += 1)
    for (const q of queries) resolve(index, q);
  collectGarbage();

  const times: Record<QueryKind, number[]> = {
    exact: [],
    alias: [],
    folded: [],
    typo: [],
    partial: [],
    elsewhere: [],
    garbage: [],
  };
  const resolvedOne: Record<QueryKind, number> = {
    exact: 0,
    alias: 0,
    folded: 0,
    typo: 0,
    partial: 0,
    elsewhere: 0,
    garbage: 0,
  };
  for (const query of queries) {
    const t0 = process.hrtime.bigint();
    const one = resolve(index, query);
    const t1 = process.hrtime.bigint();
    times[query.kind].push(Number(t1 - t0) / 1e6);
    if (one) resolvedOne[query.kind] += 1;
  }
  const byKind = Object.fromEntries(
    QUERY_KINDS.map((kind) => [kind, { ...summarise(times[kind]), resolvedOne: resolvedOne[kind] }]),
  ) as NameResolutionResult['byKind'];
  return {
    systems: register.systems.length,
    aliases: register.systems.reduce((n, s) => n + s.aliases.length, 0),
    systemIndexBuildMs,
    registerIndexesBuildMs,
    overall: summarise(QUERY_KINDS.flatMap((kind) => times[kind])),
    byKind,
  };
}

export interface AnswerLatencyResult {
  overall: Summary;
  byKind: Record<QueryKind, Summary & { answers: Record<string, number> }>;
}

/**
 * The whole question in-process, no HTTP: ResponsibilityService.ask("vem äger <name>") over an in-memory store
 * holding `register` and the local directory, asked by a person of the system's organisation. Parsing, lookups,
 * holders and their status: what a turn does before the card is rendered.
 */
export async function measureAnswers(
  register: Register,
  options: { perKind?: number; warmupPasses?: number } = {},
): Promise<AnswerLatencyResult> {
  const store = new MemoryRegisterStore(register);
  const service = new ResponsibilityService({
    store,
    directory: new LocalDirectory(store),
    now: () => new Date(),
    logger,
  });
  const askers = new Map<string, Asker>();
  for (const person of register.people) {
    if (person.organisationId === undefined || askers.has(person.organisationId)) continue;
    const tenantId = register.organisations.find((o) => o.id === person.organisationId)?.tenantId;
    askers.set(person.organisationId, { aadObjectId: person.aadObjectId, tenantId, locale: 'sv-SE' });
  }
  const queries = buildQueries(register, options.perKind ?? 300, 11);
  const ask = (query: Query) =>
    service.ask(askers.get(query.preferOrganisationId) ?? {}, `vem äger ${query.text}`);
  for (let pass = 0; pass < (options.warmupPasses ?? 1); pass += 1) for (const q of queries) await ask(q);
  collectGarbage();

  const times: Record<QueryKind, number[]> = {
    exact: [],
    alias: [],
    folded: [],
    typo: [],
    partial: [],
    elsewhere: [],
    garbage: [],
  };
  const answers = Object.fromEntries(QUERY_KINDS.map((k) => [k, {} as Record<string, number>])) as Record<
    QueryKind,
    Record<string, number>
  >;
  for (const query of queries) {
    const t0 = process.hrtime.bigint();
    const answer = await ask(query);
    const t1 = process.hrtime.bigint();
    times[query.kind].push(Number(t1 - t0) / 1e6);
    answers[query.kind][answer.kind] = (answers[query.kind][answer.kind] ?? 0) + 1;
  }
  return {
    overall: summarise(QUERY_KINDS.flatMap((kind) => times[kind])),
    byKind: Object.fromEntries(
      QUERY_KINDS.map((kind) => [kind, { ...summarise(times[kind]), answers: answers[kind] }]),
    ) as AnswerLatencyResult['byKind'],
  };
}
