import type { Organisation, Person, Register, RoleAssignment, SystemRecord, Unit } from '../data/model.js';

/** Fixture builders with defaults: tests state only what matters to them. */

export function buildOrganisation(overrides: Partial<Organisation> = {}): Organisation {
  return { id: 'testkommun', name: 'Testkommun', language: 'sv', ...overrides };
}

export function buildUnit(overrides: Partial<Unit> = {}): Unit {
  return {
    id: 'testkommun/socialforvaltningen',
    organisationId: 'testkommun',
    name: 'Socialförvaltningen',
    ...overrides,
  };
}

export function buildPerson(overrides: Partial<Person> = {}): Person {
  const email = (overrides.email ?? 'anna.berg@testkommun.se').toLowerCase();
  return { id: email, email, name: 'Anna Berg', organisationId: 'testkommun', ...overrides };
}

export function buildSystem(overrides: Partial<SystemRecord> = {}): SystemRecord {
  return {
    id: 'testkommun/procapita',
    organisationId: 'testkommun',
    name: 'Procapita',
    aliases: [],
    lifecycle: 'active',
    processesPersonalData: true,
    ...overrides,
  };
}

let assignmentSeq = 0;
export function buildAssignment(overrides: Partial<RoleAssignment> = {}): RoleAssignment {
  assignmentSeq += 1;
  return {
    id: `ra-${assignmentSeq}`,
    organisationId: 'testkommun',
    role: 'owner',
    personId: 'anna.berg@testkommun.se',
    systemId: 'testkommun/procapita',
    validFrom: '2020-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function buildRegister(overrides: Partial<Register> = {}): Register {
  return { organisations: [], units: [], people: [], systems: [], roleAssignments: [], ...overrides };
}
