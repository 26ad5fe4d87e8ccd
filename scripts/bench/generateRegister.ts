import {
  type Language,
  type Organisation,
  type Person,
  type Register,
  type RoleAssignment,
  type SystemRecord,
  type Unit,
} from '../../data/model.js';
import { normaliseKey } from '../../services/nlu/normalise.js';
import { organisationId, personId, slug, systemId, unitId } from '../../services/register/ids.js';
import { createRng, type Rng } from './rng.js';
import {
  FIRST_NAMES,
  HEADS,
  LAST_NAMES,
  LIFECYCLES,
  MIDS,
  PLACE_HEADS,
  PLACE_TAILS,
  SUFFIXES,
  SUPPLIERS,
  TAILS,
  TITLES,
  UNITS,
} from './registerWords.js';

export { createRng, type Rng } from './rng.js';

/**
 * A deterministic generator of a large, plausible register for the benchmark: the same options give the same
 * register, byte for byte, on every machine (a seeded PRNG, no clock, no Math.random).
 *
 * Shape: Swedish and Norwegian municipalities with units and people; systems named from syllables and suffixes
 * ("Lövicare Flyt", "Visma Procadok 360"), a few product names shared by several organisations (as in real
 * registers), aliases that are the abbreviations and variants people type; exactly `systems` systems and exactly
 * `aliases` aliases in all. Every system has an owner and an administrator, most a deputy; every reference
 * (organisation, unit, person, system) points at something in the register.
 */

export interface GenerateOptions {
  systems: number;
  /** Total number of aliases over all systems (0–MAX_ALIASES_PER_SYSTEM each). */
  aliases: number;
  /** Default max(1, ceil(systems / 250)): a large municipality's register holds a few hundred systems. */
  organisations?: number;
  seed?: number;
}

export const DEFAULT_SEED = 20_261_123;
export const MAX_ALIASES_PER_SYSTEM = 8;
/** All assignments start here, so "current" does not depend on when the benchmark runs. */
export const VALID_FROM = '2024-01-01T00:00:00.000Z';
const ENDED_AT = '2025-06-01T00:00:00.000Z';

interface NamedSystem {
  name: string;
  core: string;
  supplier?: string;
  suffix?: string;
}

function systemName(rng: Rng): NamedSystem {
  const core = rng.pick(HEADS) + (rng.chance(0.5) ? rng.pick(MIDS) : '') + rng.pick(TAILS);
  const shape = rng.next();
  if (shape < 0.4) return { name: core, core };
  const suffix = rng.pick(SUFFIXES);
  if (shape < 0.75) return { name: `${core} ${suffix}`, core, suffix };
  const supplier = rng.pick(SUPPLIERS);
  if (shape < 0.9) return { name: `${supplier} ${core}`, core, supplier };
  return { name: `${supplier} ${core} ${suffix}`, core, supplier, suffix };
}

/** Candidate aliases of a system in a random order: initials, abbreviations, variants with or without supplier. */
function aliasCandidates(rng: Rng, named: NamedSystem, supplier: string): string[] {
  const words = named.name.split(' ');
  const consonants = named.core.toUpperCase().replace(/[AEIOUYÅÄÖØÆ]/g, '');
  const candidates = [
    words.length >= 2 ? words.map((w) => w[0]!.toUpperCase()).join('') : named.core.slice(0, 3).toUpperCase(),
    consonants.length >= 2 ? consonants : `${named.core.toUpperCase()}X`,
    words.length >= 2 ? named.core : `${named.core} ${rng.pick(SUFFIXES)}`,
    named.supplier === undefined ? `${supplier} ${named.name}` : named.name.slice(named.supplier.length + 1),
    `${named.name} ${rng.int(2, 12)}`,
    `${named.core.slice(0, 4)}${named.suffix ?? rng.int(1, 9)}`,
    `${named.core.toLowerCase()}systemet`,
  ];
  return rng.shuffle(candidates);
}

/** Exactly `total` split over `count` slots, each 0..max, centred on the mean with some spread. */
function spread(rng: Rng, count: number, total: number, max: number): number[] {
  if (total > count * max)
    throw new RangeError(`cannot place ${total} aliases on ${count} systems (max ${max} each)`);
  const base = Math.floor(total / count);
  const counts = Array.from({ length: count }, (_, i) => base + (i < total - base * count ? 1 : 0));
  rng.shuffle(counts);
  for (let moves = 0; moves < count * 2; moves += 1) {
    const from = rng.int(0, count - 1);
    const to = rng.int(0, count - 1);
    if (counts[from]! > 0 && counts[to]! < max) {
      counts[from]! -= 1;
      counts[to]! += 1;
    }
  }
  return counts;
}

export function generateRegister(options: GenerateOptions): Register {
  const rng = createRng(options.seed ?? DEFAULT_SEED);
  const organisationCount = options.organisations ?? Math.max(1, Math.ceil(options.systems / 250));

  const organisations: Organisation[] = [];
  const units: Unit[] = [];
  const people: Person[] = [];
  const systems: SystemRecord[] = [];
  const roleAssignments: RoleAssignment[] = [];
  const orgIds = new Set<string>();
  const emails = new Set<string>();
  let assignmentSeq = 0;
  const assign = (fields: Omit<RoleAssignment, 'id' | 'validFrom'> & { validFrom?: string }) => {
    assignmentSeq += 1;
    roleAssignments.push({ id: `ra-${assignmentSeq}`, validFrom: VALID_FROM, ...fields });
  };

  /** Names already used anywhere, so some organisations can run the same product (as real registers do). */
  const usedNames: NamedSystem[] = [];

  for (let o = 0; o < organisationCount; o += 1) {
    const swedish = rng.chance(0.6);
    const language: Language = swedish ? 'sv' : rng.chance(0.6) ? 'nn' : 'nb';
    let name = '';
    for (let attempt = 0; name === '' || orgIds.has(organisationId(name)); attempt += 1) {
      const place = rng.pick(PLACE_HEADS) + rng.pick(PLACE_TAILS) + (attempt > 20 ? ` ${attempt}` : '');
      name = `${place} ${swedish ? 'kommun' : 'kommune'}`;
    }
    const organisation: Organisation = { id: organisationId(name), name, language, tenantId: rng.uuid() };
    orgIds.add(organisation.id);
    organisations.push(organisation);

    const orgUnits = rng
      .shuffle([...UNITS[swedish ? 'sv' : 'no']])
      .slice(0, rng.int(4, 7))
      .map((unitName): Unit => ({
        id: unitId(organisation.id, unitName),
        organisationId: organisation.id,
        name: unitName,
      }));
    units.push(...orgUnits);

    const systemCount =
      Math.floor(options.systems / organisationCount) + (o < options.systems % organisationCount ? 1 : 0);
    const domain = `${slug(name.split(' ')[0]!)}.example`;
    const orgPeople: Person[] = [];
    for (let p = 0; p < Math.max(8, Math.ceil(systemCount / 4)); p += 1) {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      let email = `${slug(first).replace(/-/g, '.')}.${slug(last)}@${domain}`;
      for (let n = 2; emails.has(email); n += 1) email = `${slug(first)}.${slug(last)}${n}@${domain}`;
      emails.add(email);
      const person: Person = {
        id: personId(email),
        email,
        name: `${first} ${last}`,
        title: rng.pick(TITLES),
        department: rng.pick(orgUnits).name,
        organisationId: organisation.id,
        aadObjectId: rng.uuid(),
      };
      orgPeople.push(person);
    }
    // Everyone but the first reports to the first (the municipal director).
    for (const person of orgPeople.slice(1)) person.managerId = orgPeople[0]!.id;
    people.push(...orgPeople);

    for (const role of ['it_coordinator', 'it_coordinator', 'it_manager', 'security_officer'] as const) {
      assign({ organisationId: organisation.id, role, personId: rng.pick(orgPeople).id });
    }

    const systemKeys = new Set<string>();
    for (let s = 0; s < systemCount; s += 1) {
      let named: NamedSystem | undefined;
      for (let attempt = 0; named === undefined || systemKeys.has(slug(named.name)); attempt += 1) {
        named =
          usedNames.length > 0 && rng.chance(0.05) && attempt < 5
            ? rng.pick(usedNames)
            : attempt < 50
              ? systemName(rng)
              : { ...systemName(rng), name: `${systemName(rng).name} ${attempt}` };
      }
      systemKeys.add(slug(named.name));
      usedNames.push(named);
      const unit = rng.pick(orgUnits);
      const roll = rng.next();
      let acc = 0;
      const lifecycle = LIFECYCLES.find(([, p]) => (acc += p) > roll)?.[0] ?? 'active';
      systems.push({
        id: systemId(organisation.id, named.name),
        organisationId: organisation.id,
        name: named.name,
        aliases: [],
        unitId: unit.id,
        supplier: named.supplier ?? rng.pick(SUPPLIERS),
        description: `Verksamhetssystem för ${unit.name.toLowerCase()}`,
        lifecycle,
        processesPersonalData: rng.chance(0.7),
      });
      const id = systems[systems.length - 1]!.id;
      const holders = rng.shuffle([...orgPeople]);
      assign({ organisationId: organisation.id, role: 'owner', personId: holders[0]!.id, systemId: id });
      assign({
        organisationId: organisation.id,
        role: 'administrator',
        personId: holders[1]!.id,
        systemId: id,
      });
      const deputies = rng.int(0, 4) === 0 ? 0 : rng.int(1, 2);
      for (let d = 0; d < deputies; d += 1) {
        assign({
          organisationId: organisation.id,
          role: 'deputy',
          personId: holders[2 + d]!.id,
          systemId: id,
        });
      }
      if (rng.chance(0.3)) {
        assign({
          organisationId: organisation.id,
          role: 'super_user',
          personId: holders[4]!.id,
          systemId: id,
        });
      }
      if (rng.chance(0.05)) {
        // An owner who handed over: history the register keeps.
        assign({
          organisationId: organisation.id,
          role: 'owner',
          personId: holders[5]!.id,
          systemId: id,
          validFrom: '2020-01-01T00:00:00.000Z',
          validTo: ENDED_AT,
        });
      }
    }
  }

  const aliasCounts = spread(rng, systems.length, options.aliases, MAX_ALIASES_PER_SYSTEM);
  const namedById = new Map<string, NamedSystem>();
  for (const named of usedNames) namedById.set(named.name, named);
  systems.forEach((system, i) => {
    const named = namedById.get(system.name)!;
    const keys = new Set([normaliseKey(system.name)]);
    const wanted = aliasCounts[i]!;
    const candidates = aliasCandidates(rng, named, system.supplier!);
    for (let n = 0; system.aliases.length < wanted; n += 1) {
      // Past the varied candidates: register codes, unique per system ("LIFE-0412").
      const alias =
        candidates[n] ?? `${named.core.slice(0, 4).toUpperCase()}-${String(i).padStart(4, '0')}${n}`;
      const key = normaliseKey(alias);
      if (key.length === 0 || keys.has(key)) continue;
      keys.add(key);
      system.aliases.push(alias);
    }
  });

  return { organisations, units, people, systems, roleAssignments };
}

/**
 * A generated register of two organisations the bot has never been tuned on: one Swedish, one Norwegian (the first
 * seed from a fixed start that gives one of each, so every run asks the same questions).
 */
export function twoOrganisations(systems: number): Register {
  for (let seed = 1717; seed < 1817; seed += 1) {
    const register = generateRegister({ systems, aliases: systems * 2, organisations: 2, seed });
    const languages = register.organisations.map((o) => o.language);
    if (languages.includes('sv') && languages.some((l) => l !== 'sv')) return register;
  }
  throw new Error('no seed gives one Swedish and one Norwegian organisation');
}
