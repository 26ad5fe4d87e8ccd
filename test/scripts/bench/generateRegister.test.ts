import assert from 'node:assert/strict';
import { isCurrent, ORGANISATION_ROLES, SYSTEM_ROLES, type Register } from '../../../data/model.js';
import { normaliseKey } from '../../../services/nlu/normalise.js';
import {
  createRng,
  generateRegister,
  MAX_ALIASES_PER_SYSTEM,
} from '../../../scripts/bench/generateRegister.js';

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
}

/** Every reference in the register that points at nothing (or at another organisation's entity). */
function danglingReferences(register: Register): string[] {
  const organisations = new Set(register.organisations.map((o) => o.id));
  const units = new Map(register.units.map((u) => [u.id, u]));
  const people = new Map(register.people.map((p) => [p.id, p]));
  const systems = new Map(register.systems.map((s) => [s.id, s]));
  const problems: string[] = [];
  for (const unit of register.units) {
    if (!organisations.has(unit.organisationId)) problems.push(`unit ${unit.id}: organisation`);
  }
  for (const person of register.people) {
    if (person.organisationId !== undefined && !organisations.has(person.organisationId))
      problems.push(`person ${person.id}: organisation`);
    if (person.managerId !== undefined && !people.has(person.managerId))
      problems.push(`person ${person.id}: manager`);
  }
  for (const system of register.systems) {
    if (!organisations.has(system.organisationId)) problems.push(`system ${system.id}: organisation`);
    if (system.unitId !== undefined && units.get(system.unitId)?.organisationId !== system.organisationId)
      problems.push(`system ${system.id}: unit`);
  }
  for (const a of register.roleAssignments) {
    if (!organisations.has(a.organisationId)) problems.push(`assignment ${a.id}: organisation`);
    if (!people.has(a.personId)) problems.push(`assignment ${a.id}: person`);
    const systemRole = (SYSTEM_ROLES as readonly string[]).includes(a.role);
    if (systemRole && systems.get(a.systemId ?? '')?.organisationId !== a.organisationId)
      problems.push(`assignment ${a.id}: system`);
    if (
      !systemRole &&
      (a.systemId !== undefined || !(ORGANISATION_ROLES as readonly string[]).includes(a.role))
    )
      problems.push(`assignment ${a.id}: organisation role`);
  }
  return problems;
}

describe('scripts/bench/generateRegister', () => {
  it('generates the same register for the same seed, and another for another seed', () => {
    const options = { systems: 300, aliases: 900, seed: 42 };
    assert.deepEqual(generateRegister(options), generateRegister(options));
    assert.notDeepEqual(generateRegister(options), generateRegister({ ...options, seed: 43 }));
  });

  const sizes = [
    { systems: 10_000, aliases: 30_000 },
    { systems: 1_000, aliases: 3_001, organisations: 3 },
    { systems: 37, aliases: 0 },
    { systems: 5, aliases: 5 * MAX_ALIASES_PER_SYSTEM },
  ];
  for (const size of sizes) {
    describe(`with ${size.systems} systems and ${size.aliases} aliases`, () => {
      let register: Register;
      before(() => {
        register = generateRegister(size);
      });

      it('holds exactly the requested numbers of systems and aliases', () => {
        assert.equal(register.systems.length, size.systems);
        assert.equal(
          register.systems.reduce((n, s) => n + s.aliases.length, 0),
          size.aliases,
        );
        if (size.organisations !== undefined) assert.equal(register.organisations.length, size.organisations);
      });

      it('gives every entity a unique id', () => {
        for (const kind of ['organisations', 'units', 'people', 'systems', 'roleAssignments'] as const) {
          assert.deepEqual(duplicates(register[kind].map((e) => e.id)), [], kind);
        }
      });

      it('only references entities that exist, in the same organisation', () => {
        assert.deepEqual(danglingReferences(register), []);
      });

      it('gives each system aliases that differ from its name and from each other', () => {
        for (const system of register.systems) {
          const keys = [system.name, ...system.aliases].map(normaliseKey);
          assert.deepEqual(duplicates(keys), [], system.id);
          assert.ok(
            keys.every((k) => k.length > 0),
            system.id,
          );
        }
      });

      it('gives every system a current owner and administrator', () => {
        const at = new Date('2026-01-01T00:00:00.000Z');
        const held = new Set(
          register.roleAssignments.filter((a) => isCurrent(a, at)).map((a) => `${a.systemId}|${a.role}`),
        );
        const missing = register.systems.filter(
          (s) => !held.has(`${s.id}|owner`) || !held.has(`${s.id}|administrator`),
        );
        assert.deepEqual(
          missing.map((s) => s.id),
          [],
        );
      });
    });
  }

  it('refuses more aliases than the systems can hold', () => {
    assert.throws(
      () => generateRegister({ systems: 2, aliases: 2 * MAX_ALIASES_PER_SYSTEM + 1 }),
      RangeError,
    );
  });

  it('draws the same stream from the same seed', () => {
    const a = createRng(7);
    const b = createRng(7);
    assert.deepEqual(
      Array.from({ length: 5 }, () => a.next()),
      Array.from({ length: 5 }, () => b.next()),
    );
  });
});
