import assert from 'node:assert/strict';
import type { RegisterSnapshot, RoleAssignment } from '../../../data/model.js';
import { guessLanguage, isEmptyPlan, planImport } from '../../../services/register/planImport.js';
import type { ImportRows, PersonRow, RoleRow, SystemRow } from '../../../services/register/rows.js';
import {
  buildAssignment,
  buildOrganisation,
  buildPerson,
  buildRegister,
  buildSystem,
  buildUnit,
} from '../../../fakes/registerBuilder.js';

const NOW = new Date('2025-03-01T08:00:00.000Z');
const at = (row: number) => ({ file: 'register.csv', row });

function rows(overrides: Partial<ImportRows> = {}): ImportRows {
  return { organisations: [], people: [], systems: [], roles: [], ...overrides };
}
function systemRow(overrides: Partial<SystemRow> = {}): SystemRow {
  return { at: at(2), organisation: 'Testkommun', name: 'Procapita', ...overrides };
}
function roleRow(overrides: Partial<RoleRow> = {}): RoleRow {
  return {
    at: at(2),
    organisation: 'Testkommun',
    role: 'it_orderer',
    person: 'anna.berg@testkommun.se',
    ...overrides,
  };
}
function personRow(overrides: Partial<PersonRow> = {}): PersonRow {
  return { at: at(2), email: 'anna.berg@testkommun.se', name: 'Anna Berg', ...overrides };
}

/** Testkommun with Procapita, owned by Anna; Bo is known but holds nothing. */
function snapshot(extra: Partial<RegisterSnapshot> = {}): RegisterSnapshot {
  return {
    revision: 3,
    ...buildRegister({
      organisations: [buildOrganisation()],
      units: [buildUnit()],
      people: [buildPerson(), buildPerson({ email: 'bo@testkommun.se', name: 'Bo' })],
      systems: [buildSystem({ unitId: 'testkommun/socialforvaltningen', supplier: 'Tieto' })],
      roleAssignments: [buildAssignment({ id: 'owner-anna' })],
    }),
    ...extra,
  };
}

let seq = 0;
const newId = () => `new-${++seq}`;

describe('planning an import', () => {
  it('leaves stored values alone for absent columns and clears them for empty cells', () => {
    const plan = planImport(snapshot(), rows({ systems: [systemRow({ supplier: null })] }), {
      now: NOW,
      newId,
    });
    const [system] = plan.changes.systems ?? [];
    assert.equal(system?.supplier, undefined);
    assert.equal(system?.unitId, 'testkommun/socialforvaltningen');
    assert.equal(plan.changes.roleAssignments, undefined);
    assert.deepEqual(plan.counts.systems, { added: 0, changed: 1, ended: 0, unchanged: 0 });
  });

  it('ends the old owner and starts the new one when the owner cell names someone else, keeping history', () => {
    const plan = planImport(snapshot(), rows({ systems: [systemRow({ owner: ['bo@testkommun.se'] })] }), {
      now: NOW,
      newId,
    });
    const changed = plan.changes.roleAssignments ?? [];
    assert.deepEqual(
      changed.map((a) => [a.personId, a.role, a.validFrom, a.validTo]),
      [
        ['anna.berg@testkommun.se', 'owner', '2020-01-01T00:00:00.000Z', NOW.toISOString()],
        ['bo@testkommun.se', 'owner', NOW.toISOString(), undefined],
      ],
    );
    assert.deepEqual(plan.counts.roleAssignments, { added: 1, changed: 0, ended: 1, unchanged: 0 });
  });

  it('warns about an empty owner cell as a gap and ends the stored owner', () => {
    const plan = planImport(snapshot(), rows({ systems: [systemRow({ owner: [] })] }), { now: NOW, newId });
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(
      plan.warnings.map((w) => w.message),
      ['gap: Procapita (Testkommun) has no owner, no administrator, no deputy'],
    );
    assert.equal(plan.counts.roleAssignments.ended, 1);
  });

  it('does not warn about gaps of a retired system', () => {
    const plan = planImport(snapshot(), rows({ systems: [systemRow({ owner: [], lifecycle: 'retired' })] }), {
      now: NOW,
      newId,
    });
    assert.deepEqual(plan.warnings, []);
  });

  it('reports a person nobody knows and a system listed twice as errors', () => {
    const plan = planImport(
      snapshot(),
      rows({
        systems: [
          systemRow({ deputies: ['ghost@testkommun.se'] }),
          systemRow({ at: at(3), name: 'PROCAPITA' }),
        ],
      }),
      { now: NOW, newId },
    );
    assert.deepEqual(
      plan.problems.map((p) => `${p.row}: ${p.message}`),
      [
        '2: deputies: unknown person ghost@testkommun.se (in no people table and not in the register)',
        '3: system "PROCAPITA" of Testkommun is listed twice (also register.csv:2)',
      ],
    );
  });

  it('plans nothing for rows that match the register', () => {
    const plan = planImport(
      snapshot(),
      rows({
        people: [personRow({ organisation: 'Testkommun' })],
        systems: [systemRow({ owner: ['anna.berg@testkommun.se'], unit: 'Socialförvaltningen' })],
      }),
      { now: NOW, newId },
    );
    assert.ok(isEmptyPlan(plan), 'isEmptyPlan(plan)');
    assert.equal(plan.counts.roleAssignments.unchanged, 1);
    assert.equal(plan.counts.people.unchanged, 1);
  });

  describe('organisation roles', () => {
    const orderer = Object.fromEntries(
      Object.entries(
        buildAssignment({
          id: 'orderer-anna',
          role: 'it_orderer',
          unitIds: ['testkommun/socialforvaltningen'],
        }),
      ).filter(([key]) => key !== 'systemId'),
    ) as RoleAssignment;

    it('replaces the units of a held role in place', () => {
      const plan = planImport(
        snapshot({ roleAssignments: [orderer] }),
        rows({ roles: [roleRow({ units: ['Barn- och utbildningsförvaltningen'] })] }),
        { now: NOW, newId },
      );
      assert.deepEqual(plan.changes.roleAssignments, [
        { ...orderer, unitIds: ['testkommun/barn-och-utbildningsforvaltningen'] },
      ]);
      assert.equal(plan.counts.units.added, 1);
    });

    it('ends a role whose valid_to is not in the future', () => {
      const plan = planImport(
        snapshot({ roleAssignments: [orderer] }),
        rows({ roles: [roleRow({ validTo: '2025-02-28T00:00:00.000Z' })] }),
        { now: NOW, newId },
      );
      assert.deepEqual(plan.changes.roleAssignments, [{ ...orderer, validTo: '2025-02-28T00:00:00.000Z' }]);
      assert.equal(plan.counts.roleAssignments.ended, 1);
    });

    it('starts a fixed-term role for a future valid_to and keeps it on the next import', () => {
      const first = planImport(
        snapshot(),
        rows({ roles: [roleRow({ role: 'it_coordinator', validTo: '2025-12-31T00:00:00.000Z' })] }),
        { now: NOW, newId },
      );
      const created = first.changes.roleAssignments ?? [];
      assert.deepEqual(
        created.map((a) => [a.role, a.validFrom, a.validTo]),
        [['it_coordinator', NOW.toISOString(), '2025-12-31T00:00:00.000Z']],
      );
      const again = planImport(
        snapshot({ roleAssignments: created }),
        rows({ roles: [roleRow({ role: 'it_coordinator', validTo: '2025-12-31T00:00:00.000Z' })] }),
        { now: NOW, newId },
      );
      assert.ok(isEmptyPlan(again), 'isEmptyPlan(again)');
    });

    it('ignores units for roles other than it_orderer, with a warning', () => {
      const plan = planImport(
        snapshot(),
        rows({ roles: [roleRow({ role: 'security_officer', units: ['IT'] })] }),
        {
          now: NOW,
          newId,
        },
      );
      assert.equal(plan.changes.roleAssignments?.[0]?.unitIds, undefined);
      assert.equal(plan.changes.units, undefined);
      assert.match(plan.warnings[0]?.message ?? '', /units are kept for it_orderer only/);
    });
  });

  it('creates an organisation named only in a systems table, guessing its language with a warning', () => {
    const plan = planImport(
      snapshot(),
      rows({ systems: [systemRow({ organisation: 'Fjordvik kommune' })] }),
      {
        now: NOW,
        newId,
      },
    );
    assert.deepEqual(plan.changes.organisations, [
      { id: 'fjordvik-kommune', name: 'Fjordvik kommune', language: 'nb' },
    ]);
    assert.match(plan.warnings[0]?.message ?? '', /Fjordvik kommune" is new and gets language nb/);
  });

  it('guesses Norwegian from .no addresses or a "kommune" name, else Swedish', () => {
    assert.equal(guessLanguage('IKT Vestfjord', { no: 3, se: 0 }), 'nb');
    assert.equal(guessLanguage('Nesøy kommune'), 'nb');
    assert.equal(guessLanguage('Tanums kommun'), 'sv');
    assert.equal(guessLanguage('Region Väst'), 'sv');
  });

  it('refuses two people with the same Entra object id', () => {
    const oid = '0b5e2a4c-1111-4222-8333-944445555666';
    const plan = planImport(
      snapshot(),
      rows({
        people: [
          personRow({ aadObjectId: oid }),
          personRow({ at: at(3), email: 'bo@testkommun.se', name: 'Bo', aadObjectId: oid }),
        ],
      }),
      { now: NOW, newId },
    );
    assert.match(
      plan.problems[0]?.message ?? '',
      /belongs to both anna.berg@testkommun.se and bo@testkommun.se/,
    );
  });
});
