import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES } from '../../../data/model.js';
import {
  catalogueSetFrom,
  loadCatalogues,
  matchItemType,
  typeName,
  type Catalogue,
  type CatalogueSet,
} from '../../../services/equipment/catalogue.js';
import { isAnsvarError } from '../../../core/errors.js';

const CATALOGUE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/catalogues');

function invalidConfig(fragment: string) {
  return (error: unknown) => {
    assert.ok(isAnsvarError(error, 'InvalidConfig'), String(error));
    assert.match(error.message, new RegExp(fragment));
    return true;
  };
}

const names = (word: string) => ({ sv: [word], nn: [word], nb: [word], en: [word] });
const defaultFile = {
  default: true,
  types: [
    { id: 'screen', names: { sv: ['Skärm'], nn: ['Skjerm'], nb: ['Skjerm'], en: ['Screen'] }, models: [] },
    { id: 'mouse', names: names('Mus'), models: [{ id: 'basic', name: 'Basic mouse' }] },
  ],
};

describe('equipment catalogues', () => {
  let shipped: CatalogueSet;
  before(async () => {
    shipped = await loadCatalogues(CATALOGUE_DIR);
  });

  it('loads the shipped catalogues: every type named in all four languages, ids unique', () => {
    const catalogue = shipped.for('somewhere-else');
    const ids = catalogue.types.map((t) => t.id);
    for (const id of [
      'pc',
      'laptop',
      'screen',
      'docking-station',
      'printer',
      'keyboard',
      'mouse',
      'headset',
      'projector',
      'wireless-access-point',
      'mobile-phone',
      'tablet',
      'webcam',
      'conference-equipment',
    ]) {
      assert.ok(ids.includes(id), `default catalogue has ${id}`);
    }
    assert.equal(new Set(ids).size, ids.length);
    for (const type of catalogue.types) {
      for (const language of LANGUAGES)
        assert.ok(typeName(type, language).length > 0, `${type.id} ${language}`);
    }
  });

  it('gives Storsjö SEK prices and IKT Vestfjord and its members NOK prices, others the default without prices', () => {
    const screen = (organisationId: string) =>
      shipped.for(organisationId).types.find((t) => t.id === 'screen')!;
    assert.deepEqual(
      screen('storsjo-kommun').models.find((m) => m.id === 'dell-p2425'),
      { id: 'dell-p2425', name: 'Dell P2425', price: 2400, currency: 'SEK' },
    );
    for (const id of ['ikt-vestfjord', 'fjordvik-kommune', 'breidal-kommune', 'nesoy-kommune']) {
      const currencies = shipped.for(id).types.flatMap((t) => t.models.map((m) => m.currency));
      assert.ok(currencies.includes('NOK') && !currencies.includes('SEK'), `${id}: ${currencies.join(',')}`);
    }
    assert.ok(
      shipped.for('somewhere-else').types.every((t) => t.models.every((m) => m.price === undefined)),
      'the default names models without prices',
    );
    assert.equal(typeName(screen('storsjo-kommun'), 'sv'), 'Skärm', 'names come from the default');
  });

  it("lays an organisation's types over the default by id, keeping the default's other types", () => {
    const set = catalogueSetFrom([
      { source: 'default.json', data: defaultFile },
      {
        source: 'org.json',
        data: {
          organisationIds: ['org-a'],
          types: [
            { id: 'screen', models: [{ id: 'big', name: 'Big screen', price: 3000, currency: 'NOK' }] },
            { id: 'plotter', names: names('Plotter') },
          ],
        },
      },
    ]);
    const own = set.for('org-a');
    assert.deepEqual(
      own.types.map((t) => t.id),
      ['screen', 'mouse', 'plotter'],
    );
    assert.equal(own.types[0]!.names.sv[0], 'Skärm');
    assert.deepEqual(own.types[0]!.models, [{ id: 'big', name: 'Big screen', price: 3000, currency: 'NOK' }]);
    assert.equal(matchItemType(own, 'plotter')?.id, 'plotter');
    assert.equal(matchItemType(set.for('org-b'), 'plotter'), undefined);
    assert.deepEqual(set.for('org-b').types[0]!.models, []);
  });

  const bad: { name: string; documents: { source: string; data: unknown }[]; fragment: string }[] = [
    {
      name: 'duplicate type ids',
      documents: [
        { source: 'bad.json', data: { default: true, types: [defaultFile.types[0], defaultFile.types[0]] } },
      ],
      fragment: 'bad.json: types.1.id: duplicate type id "screen"',
    },
    {
      name: 'a language missing',
      documents: [
        {
          source: 'bad.json',
          data: {
            default: true,
            types: [{ id: 'screen', names: { sv: ['Skärm'], nn: ['Skjerm'], en: ['Screen'] } }],
          },
        },
      ],
      fragment: 'bad.json: types.0.names.nb',
    },
    {
      name: 'an empty list of names',
      documents: [
        {
          source: 'bad.json',
          data: { default: true, types: [{ id: 'screen', names: { ...names('x'), en: [] } }] },
        },
      ],
      fragment: 'bad.json: types.0.names.en',
    },
    {
      name: 'a type id that is no slug',
      documents: [
        { source: 'bad.json', data: { default: true, types: [{ id: 'Bild Skärm', names: names('x') }] } },
      ],
      fragment: 'bad.json: types.0.id: must be a slug',
    },
    {
      name: 'an organisation id that is no slug',
      documents: [{ source: 'bad.json', data: { organisationIds: ['Storsjö kommun'], types: [] } }],
      fragment: 'bad.json: organisationIds.0: must be a slug',
    },
    {
      name: 'a price without currency',
      documents: [
        {
          source: 'bad.json',
          data: {
            default: true,
            types: [{ id: 'mouse', names: names('Mus'), models: [{ id: 'm', name: 'M', price: 99 }] }],
          },
        },
      ],
      fragment: 'bad.json: types.0.models.0: a price needs its currency',
    },
    {
      name: 'one name for two types',
      documents: [
        {
          source: 'bad.json',
          data: {
            default: true,
            types: [
              { id: 'pc', names: names('dator') },
              { id: 'laptop', names: names('Dator') },
            ],
          },
        },
      ],
      fragment: 'bad.json: the name "Dator" names both "pc" and "laptop"',
    },
    {
      name: 'a new type without names',
      documents: [
        { source: 'default.json', data: defaultFile },
        { source: 'org.json', data: { organisationIds: ['org-a'], types: [{ id: 'plotter' }] } },
      ],
      fragment: 'org.json: type "plotter" is not in the default catalogue, so it needs names',
    },
    {
      name: 'two catalogues for one organisation',
      documents: [
        { source: 'a.json', data: { organisationIds: ['org-a'], types: [] } },
        { source: 'b.json', data: { organisationIds: ['org-a'], types: [] } },
      ],
      fragment: 'b.json: org-a already has a catalogue in a.json',
    },
    {
      name: 'neither organisations nor default',
      documents: [{ source: 'bad.json', data: { types: [] } }],
      fragment: 'bad.json: \\(file\\): a catalogue names its organisationIds or is the default',
    },
    {
      name: 'an unknown field',
      documents: [{ source: 'bad.json', data: { default: true, types: [], colour: 'blue' } }],
      fragment: 'bad.json',
    },
  ];
  for (const c of bad) {
    it(`refuses a catalogue with ${c.name}, naming the file and the problem`, () => {
      assert.throws(() => catalogueSetFrom(c.documents), invalidConfig(c.fragment.replace(/[."]/g, '\\$&')));
    });
  }

  describe('loading a directory', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'ansvar-catalogues-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('refuses a file that is not JSON, naming it', async () => {
      await writeFile(path.join(dir, 'default.json'), JSON.stringify(defaultFile));
      await writeFile(path.join(dir, 'broken.json'), '{ "types": [');
      await assert.rejects(loadCatalogues(dir), invalidConfig('broken\\.json'));
    });

    it('reads every .json file and ignores others', async () => {
      await writeFile(path.join(dir, 'default.json'), JSON.stringify(defaultFile));
      await writeFile(path.join(dir, 'notes.txt'), 'not a catalogue');
      const set = await loadCatalogues(dir);
      assert.deepEqual(
        set.for('x').types.map((t) => t.id),
        ['screen', 'mouse'],
      );
    });
  });

  describe('matchItemType', () => {
    let catalogue: Catalogue;
    before(() => {
      catalogue = shipped.for('storsjo-kommun');
    });

    const cases: [string, string | undefined][] = [
      ['ny PC', 'pc'],
      ['PC', 'pc'],
      ['dator', 'pc'],
      ['datamaskin', 'pc'],
      ['a new computer', 'pc'],
      ['projektor', 'projector'],
      ['projektorn', 'projector'],
      ['prosjektor', 'projector'],
      ['projector', 'projector'],
      ['skjermar', 'screen'],
      ['skjermer', 'screen'],
      ['skärm', 'screen'],
      ['bildskärm', 'screen'],
      ['skärmar', 'screen'],
      ['skarmen', 'screen'],
      ['a new screen', 'screen'],
      ['2 monitors', 'screen'],
      ['bärbar dator', 'laptop'],
      ['ny bärbar dator', 'laptop'],
      ['bærbar PC', 'laptop'],
      ['berbar', 'laptop'],
      ['laptop', 'laptop'],
      ['en dockningsstation', 'docking-station'],
      ['dokkingstasjon', 'docking-station'],
      ['docking station', 'docking-station'],
      ['trådlös accesspunkt', 'wireless-access-point'],
      ['trådlaust tilgangspunkt', 'wireless-access-point'],
      ['mobiltelefon', 'mobile-phone'],
      ['ny mobil', 'mobile-phone'],
      ['headset', 'headset'],
      ['hörlurar', 'headset'],
      ['hodetelefonar', 'headset'],
      ['eit nytt tastatur', 'keyboard'],
      ['nye hodetelefoner', 'headset'],
      ['surfplatta', 'tablet'],
      ['konferensutrustning', 'conference-equipment'],
      ['projecktor', 'projector'],
      ['dokingstasjon', 'docking-station'],
      ['kaffemaskin', undefined],
      ['parkeringsplats', undefined],
      ['ny', undefined],
      ['', undefined],
    ];
    for (const [words, expected] of cases) {
      it(`matches "${words}" to ${expected ?? 'nothing'}`, () => {
        assert.equal(matchItemType(catalogue, words)?.id, expected);
      });
    }
  });
});
