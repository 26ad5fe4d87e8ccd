import assert from 'node:assert/strict';
import {
  columnFor,
  detectKind,
  kindOfSheetName,
  mapHeaders,
  type FileKind,
} from '../../../services/register/headers.js';

describe('register headers', () => {
  const groups: [FileKind, string, string[]][] = [
    ['systems', 'owner', ['owner', 'Systemägare', 'ägare', 'fagsystemeigar', 'Systemeier', 'SYSTEM OWNER']],
    [
      'systems',
      'administrator',
      [
        'administrator',
        'systemansvarig',
        'Systemadministratör',
        'systemförvaltare',
        'fagsystemansvarleg',
        'systemansvarlig',
      ],
    ],
    ['systems', 'deputies', ['deputies', 'Ersättare', 'stedfortredar', 'vara', 'stedfortreder']],
    [
      'systems',
      'super_users',
      ['super_users', 'Superanvändare', 'superbrukar', 'superbruker', 'super users'],
    ],
    ['systems', 'system', ['system', 'fagsystem', 'Verksamhetssystem']],
    ['systems', 'aliases', ['aliases', 'alias', 'Förkortning']],
    ['systems', 'unit', ['unit', 'enhet', 'förvaltning', 'eining', 'avdeling']],
    ['systems', 'supplier', ['supplier', 'leverantör', 'Leverandør']],
    ['systems', 'supplier_support', ['supplier_support', 'leverantörssupport', 'leverandørstøtte']],
    ['systems', 'description', ['description', 'beskrivning', 'skildring', 'beskrivelse']],
    ['systems', 'organisation', ['organisation', 'organisasjon', 'Kommun', 'kommune']],
    ['people', 'email', ['email', 'e-post', 'epost', 'E-mail']],
    ['people', 'name', ['name', 'namn', 'navn']],
    ['people', 'title', ['title', 'titel', 'tittel']],
    ['people', 'department', ['department', 'avdelning', 'avdeling']],
    ['people', 'manager', ['manager', 'chef', 'leiar', 'leder']],
    ['roles', 'role', ['role', 'roll', 'rolle']],
    ['roles', 'person', ['person', 'e-post']],
    ['roles', 'units', ['units', 'enheter', 'einingar']],
    ['roles', 'valid_to', ['valid_to', 'end', 'slutdatum', 'sluttdato']],
    ['organisations', 'language', ['language', 'språk']],
  ];
  for (const [kind, column, words] of groups) {
    it(`reads ${words.join(', ')} as ${column} in a ${kind} table`, () => {
      for (const word of words) assert.equal(columnFor(kind, word), column, word);
    });
  }

  it('reads "avdeling" as the unit in a systems table and as the department in a people table', () => {
    assert.equal(columnFor('systems', 'avdeling'), 'unit');
    assert.equal(columnFor('people', 'avdeling'), 'department');
  });

  it('tells the kind of a table by its header row', () => {
    assert.equal(detectKind(['Kommun', 'Verksamhetssystem', 'Systemägare']), 'systems');
    assert.equal(detectKind(['e-post', 'namn', 'titel']), 'people');
    assert.equal(detectKind(['kommune', 'rolle', 'person', 'einingar']), 'roles');
    assert.equal(detectKind(['organisation', 'språk', 'tenant_id']), 'organisations');
    assert.equal(detectKind(['organisation', 'system', 'language']), 'systems');
    assert.equal(detectKind(['foo', 'bar']), undefined);
  });

  it('fixes the kind of an XLSX sheet by its name in any of the languages', () => {
    assert.equal(kindOfSheetName('Systems'), 'systems');
    assert.equal(kindOfSheetName('personer'), 'people');
    assert.equal(kindOfSheetName('Roller'), 'roles');
    assert.equal(kindOfSheetName('organisasjonar'), 'organisations');
    assert.equal(kindOfSheetName('Instruktioner'), undefined);
  });

  it('reports ignored, doubled and missing columns', () => {
    const mapping = mapHeaders('systems', ['System', 'Ägare', 'owner', 'Kommentar']);
    assert.deepEqual(mapping.columns, ['system', 'owner', 'owner', undefined]);
    assert.deepEqual(mapping.ignored, ['Kommentar']);
    assert.deepEqual(mapping.duplicates, [{ column: 'owner', headers: ['Ägare', 'owner'] }]);
    assert.deepEqual(mapping.missing, []);
    assert.deepEqual(mapHeaders('roles', ['Organisation', 'Roll']).missing, ['person']);
  });
});
