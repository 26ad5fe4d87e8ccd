import assert from 'node:assert/strict';
import { MAX_CANDIDATES } from '../../../services/search/nameIndex.js';
import { SystemIndex } from '../../../services/search/systemIndex.js';
import { buildSystem } from '../../../fakes/registerBuilder.js';
import { FJORDVIK, NESOY, SYSTEMS, TANUM } from '../../fixtures/registerScenario.js';

const index = SystemIndex.build(Object.values(SYSTEMS));
const ids = (hits: readonly { item: { id: string } }[]) => hits.map((h) => h.item.id);

describe('SystemIndex', () => {
  describe('finds one system', () => {
    const cases: {
      name: string;
      query: string;
      scope?: Parameters<SystemIndex['find']>[1];
      expected: string;
    }[] = [
      { name: 'by its exact name', query: 'Treserva', expected: SYSTEMS.treserva.id },
      { name: 'ignoring case and spacing', query: '  public   360 ', expected: SYSTEMS.public360.id },
      { name: 'without diacritics', query: 'Visma Lon', expected: SYSTEMS.vismaLon.id },
      { name: 'by an alias', query: 'P360', expected: SYSTEMS.public360.id },
      { name: 'by an alias with punctuation', query: 'p-360', expected: SYSTEMS.public360.id },
      { name: 'by an abbreviation alias', query: 'Acos', expected: SYSTEMS.acos.id },
      {
        name: 'with a typo ("Procapitta") in the asker organisation',
        query: 'Procapitta',
        scope: { organisationIds: new Set([TANUM.id]) },
        expected: SYSTEMS.procapita.id,
      },
      { name: 'with a dropped letter ("lifecre")', query: 'lifecre', expected: SYSTEMS.lifecare.id },
      {
        name: 'with a Nynorsk spelling of a Bokmål name ("visma flyt skule")',
        query: 'visma flyt skule',
        scope: { organisationIds: new Set([NESOY.id]) },
        expected: SYSTEMS.vismaFlytSkole.id,
      },
      { name: 'by a partial name ("websak")', query: 'websak', expected: SYSTEMS.acos.id },
      { name: 'by the start of a word ("treserv")', query: 'treserv', expected: SYSTEMS.treserva.id },
      {
        name: 'by its initials ("VFS") within one organisation',
        query: 'VFS',
        scope: { organisationIds: new Set([NESOY.id]) },
        expected: SYSTEMS.vismaFlytSkole.id,
      },
      {
        name: 'preferring the exact hit of the asker organisation',
        query: 'Procapita',
        scope: { preferOrganisationId: FJORDVIK.id },
        expected: SYSTEMS.fjordvikProcapita.id,
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const result = index.find(c.query, c.scope);
        assert.equal(result.kind, 'one', JSON.stringify(ids(result.hits)));
        assert.equal(result.kind === 'one' && result.hit.item.id, c.expected);
      });
    }
  });

  describe('offers candidates', () => {
    it('for a name several systems start with', () => {
      const result = index.find('Visma');
      assert.equal(result.kind, 'several');
      assert.deepEqual(
        new Set(ids(result.hits)),
        new Set([
          SYSTEMS.vismaLon.id,
          SYSTEMS.vismaPersonec.id,
          SYSTEMS.vismaFlytSkule.id,
          SYSTEMS.vismaFlytSkole.id,
        ]),
      );
    });

    it('for an exact name two organisations share when neither is preferred', () => {
      const result = index.find('Gerica');
      assert.equal(result.kind, 'several');
      assert.deepEqual(
        new Set(ids(result.hits)),
        new Set([SYSTEMS.fjordvikGerica.id, SYSTEMS.nesoyGerica.id]),
      );
      assert.ok(
        result.hits.every((h) => h.exact),
        'result.hits.every((h) => h.exact)',
      );
    });

    it('for a typo that fits a name two organisations share, the preferred organisation first', () => {
      const result = index.find('Procapitta', { preferOrganisationId: FJORDVIK.id });
      assert.equal(result.kind, 'several');
      assert.deepEqual(ids(result.hits), [SYSTEMS.fjordvikProcapita.id, SYSTEMS.procapita.id]);
    });

    it(`never more than ${MAX_CANDIDATES}`, () => {
      const many = SystemIndex.build(
        Array.from({ length: 20 }, (_, i) =>
          buildSystem({ id: `testkommun/visma-${i}`, name: `Visma Modul ${i}` }),
        ),
      );
      const result = many.find('Visma Modul');
      assert.equal(result.kind, 'several');
      assert.equal(result.hits.length, MAX_CANDIDATES);
    });
  });

  describe('finds nothing', () => {
    for (const query of ['Nothing like it', 'zzz', '', '   ']) {
      it(`for ${JSON.stringify(query)}`, () => assert.equal(index.find(query).kind, 'none'));
    }

    it('outside the organisations it is limited to', () => {
      assert.equal(index.find('Treserva', { organisationIds: new Set([FJORDVIK.id]) }).kind, 'none');
    });

    it('by typo or prefix outside the organisation it is limited to', () => {
      assert.equal(index.find('treserv', { organisationIds: new Set([FJORDVIK.id]) }).kind, 'none');
      assert.deepEqual(index.suggest('Treservo', { organisationIds: new Set([FJORDVIK.id]) }), []);
    });

    it('in an organisation that has no systems', () => {
      const scope = { organisationIds: new Set(['no-such-kommun']) };
      assert.equal(index.find('Procapitta', scope).kind, 'none');
      assert.deepEqual(index.suggest('Procapitta', scope), []);
    });
  });

  it('offers the systems that have any of the words when none has all of them', () => {
    const result = index.find('Visma Qwxzqwxz', { organisationIds: new Set([TANUM.id]) });
    assert.equal(result.kind, 'several');
    assert.deepEqual(new Set(ids(result.hits)), new Set([SYSTEMS.vismaLon.id, SYSTEMS.vismaPersonec.id]));
  });

  it('takes a word some system has as it is, not as the start of longer words', () => {
    const shared = SystemIndex.build([
      buildSystem({ id: 'testkommun/likofix-pro', name: 'Likofix Pro' }),
      buildSystem({ id: 'testkommun/pronix', name: 'Pronix' }),
      buildSystem({ id: 'testkommun/prosa', name: 'Prosa' }),
    ]);
    assert.deepEqual(ids(shared.suggest('pro')), ['testkommun/likofix-pro']);
    const result = shared.find('Pro');
    assert.equal(result.kind === 'one' && result.hit.item.id, 'testkommun/likofix-pro');
  });

  describe('findExact', () => {
    it('answers as find does for an exact name, preferring the asker organisation', () => {
      const result = index.findExact('Procapita', { preferOrganisationId: FJORDVIK.id });
      assert.equal(result?.kind, 'one');
      assert.equal(result.kind === 'one' && result.hit.item.id, SYSTEMS.fjordvikProcapita.id);
    });

    it('gives nothing for a name that is only near one', () => {
      assert.equal(index.findExact('Procapitta'), undefined);
      assert.equal(index.find('Procapitta', { organisationIds: new Set([TANUM.id]) }).kind, 'one');
    });
  });

  it('suggests near names that find does not accept', () => {
    assert.equal(index.find('Procapsa', { organisationIds: new Set([TANUM.id]) }).kind, 'none');
    assert.deepEqual(ids(index.suggest('Procapsa', { organisationIds: new Set([TANUM.id]) })), [
      SYSTEMS.procapita.id,
    ]);
  });

  it('looks systems up by id', () => {
    assert.equal(index.get(SYSTEMS.acos.id), SYSTEMS.acos);
    assert.equal(index.get('nope'), undefined);
    assert.equal(index.size, Object.keys(SYSTEMS).length);
  });
});
