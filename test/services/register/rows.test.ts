import assert from 'node:assert/strict';
import type { FileKind } from '../../../services/register/headers.js';
import type { RawTable } from '../../../services/register/readFiles.js';
import { validateTables } from '../../../services/register/rows.js';

function table(kind: FileKind, ...rows: Record<string, string>[]): RawTable {
  return {
    kind,
    file: `${kind}.csv`,
    columns: [],
    rows: rows.map((cells, i) => ({ row: i + 2, cells })),
  } as RawTable;
}

describe('register row validation', () => {
  it('reads role, language, lifecycle and yes/no words in Swedish, Norwegian and English', () => {
    const { rows, problems } = validateTables([
      table('roles', { organisation: 'Tanums kommun', role: 'IT-samordnare', person: 'A@tanum.se' }),
      table('roles', { organisation: 'IKT Vestfjord', role: 'IKT-bestillar', person: 'b@vestfjord.no' }),
      table('roles', { organisation: 'Tanums kommun', role: 'Dataskyddsombud', person: 'c@tanum.se' }),
      table('organisations', { organisation: 'IKT Vestfjord', language: 'Nynorsk' }),
      table('systems', { organisation: 'T', system: 'S', lifecycle: 'avvecklas', personal_data: 'nej' }),
      table('systems', { organisation: 'T', system: 'U', lifecycle: '', personal_data: 'Ja' }),
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      rows.roles.map((r) => [r.role, r.person]),
      [
        ['it_coordinator', 'a@tanum.se'],
        ['it_orderer', 'b@vestfjord.no'],
        ['data_protection_officer', 'c@tanum.se'],
      ],
    );
    assert.equal(rows.organisations[0]?.language, 'nn');
    assert.deepEqual(
      rows.systems.map((s) => [s.lifecycle, s.personalData]),
      [
        ['phasing_out', false],
        [null, true],
      ],
    );
  });

  it('splits person cells on ";" and name cells on ";" only, keeping commas in names', () => {
    const { rows } = validateTables([
      table('systems', {
        organisation: 'T',
        system: 'S',
        deputies: 'a@tanum.se; B@tanum.se;a@tanum.se',
        aliases: 'Vård, omsorg; PCA\nIFO',
      }),
    ]);
    assert.deepEqual(rows.systems[0]?.deputies, ['a@tanum.se', 'b@tanum.se']);
    assert.deepEqual(rows.systems[0]?.aliases, ['Vård, omsorg', 'PCA', 'IFO']);
  });

  it('tells an absent column (undefined) from an empty cell (null)', () => {
    const { rows } = validateTables([table('people', { email: 'a@tanum.se', name: 'A', title: '' })]);
    assert.equal(rows.people[0]?.title, null);
    assert.equal(rows.people[0]?.department, undefined);
  });

  it('lists every bad cell of a row with its column', () => {
    const { problems, knownPersonIds } = validateTables([
      table('people', { email: 'anna@tanum.se', name: '', aad_object_id: '1234', manager: 'chefen' }),
      table(
        'roles',
        { organisation: 'T', role: 'systemägare', person: 'a@tanum.se' },
        { organisation: 'T', role: 'kaffeansvarig', person: 'a@tanum.se', valid_to: '30/6' },
      ),
      table('organisations', { organisation: 'T', language: 'de' }),
    ]);
    assert.deepEqual(
      problems.map((p) => `${p.file}:${p.row}: ${p.message}`),
      [
        'people.csv:2: name: must not be empty',
        'people.csv:2: aad_object_id: "1234" is not a GUID',
        'roles.csv:2: role: "systemägare" is a role for one system (owner): put it in the systems table',
        'roles.csv:3: role: unknown role "kaffeansvarig" (use one of: it_coordinator, it_orderer, security_officer, data_protection_officer, it_manager, it_unit)',
        'roles.csv:3: valid_to: "30/6" is not a date (use YYYY-MM-DD)',
        'organisations.csv:2: language: unknown language "de" (use sv, nn, nb or en)',
      ],
    );
    assert.deepEqual([...knownPersonIds], ['anna@tanum.se']);
  });

  it('reads an end date as the start of that day in UTC', () => {
    const { rows } = validateTables([
      table('roles', { organisation: 'T', role: 'it_orderer', person: 'a@tanum.se', valid_to: '2025-06-30' }),
    ]);
    assert.equal(rows.roles[0]?.validTo, '2025-06-30T00:00:00.000Z');
  });
});
