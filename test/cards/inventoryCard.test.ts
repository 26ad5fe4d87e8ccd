import assert from 'node:assert/strict';
import { inventoryReply, INVENTORY_LIMITS } from '../../cards/inventoryCard.js';
import type { RequestNames } from '../../cards/requestText.js';
import { LANGUAGES } from '../../data/model.js';
import type { InventoryItem } from '../../data/requestModel.js';
import { t } from '../../services/i18n/index.js';
import { executeActions, inputIds, textRuns, walkCard } from '../fixtures/cardQueries.js';
import { catalogue, STORSJO as storsjo } from './fixtures/storsjo.js';

describe('inventoryReply', () => {
  const names: RequestNames = {
    personName: (id) => (id === 'mona@x.se' ? 'Mona Jansson' : undefined),
    systemName: () => undefined,
    organisation: () => storsjo,
    catalogue: () => catalogue,
  };
  const item = (overrides: Partial<InventoryItem> = {}): InventoryItem => ({
    id: 'i-1',
    organisationId: storsjo.id,
    unitId: 'storsjo-kommun/vof',
    itemType: 'projector',
    model: 'epson-eb',
    assetTag: 'INV-1',
    location: 'Kommunhuset',
    room: 'Konferensrummet',
    status: 'in_use',
    registeredAt: '2026-02-03T10:00:00Z',
    registeredBy: 'it@x.se',
    version: 1,
    ...overrides,
  });
  const unit = {
    kind: 'unit',
    unitId: 'storsjo-kommun/vof',
    unitName: 'Vård- och omsorgsförvaltningen',
  } as const;
  const items = [
    item(),
    item({
      id: 'i-2',
      assetTag: 'INV-2',
      itemType: 'screen',
      model: undefined,
      holderId: 'mona@x.se',
      room: undefined,
    }),
    item({ id: 'i-3', assetTag: 'INV-3', location: 'Ahlbergska huset' }),
  ];

  for (const language of LANGUAGES) {
    it(`groups a unit's items by location, then type, with tag, holder and date in ${language}`, () => {
      const { card } = inventoryReply({
        language,
        names,
        scope: unit,
        content: { kind: 'items', items, mayDiscard: false },
      });
      assert.ok(!JSON.stringify(card).includes('${'), "!JSON.stringify(card).includes('${')");
      const shown = textRuns(card);
      const projector = catalogue.types[0]!.names[language][0]!;
      const screen = catalogue.types[1]!.names[language][0]!;
      assert.deepEqual(
        shown.filter((r) => ['Ahlbergska huset', 'Kommunhuset', projector, screen].includes(r)),
        ['Ahlbergska huset', projector, 'Kommunhuset', projector, screen],
      );
      assert.ok(shown.includes('Epson EB-L210'), "shown.includes('Epson EB-L210')");
      assert.ok(
        shown.includes(t(language, 'inventory.item.tag', { tag: 'INV-2' })),
        "shown.includes(t(language, 'inventory.item.tag', { tag: 'INV-2' }))",
      );
      assert.ok(
        shown.includes(t(language, 'inventory.item.holder', { holder: 'Mona Jansson' })),
        "shown.includes(t(language, 'inventory.item.holder', { holder: 'Mona Jansson' }))",
      );
      assert.ok(
        shown.includes(t(language, 'inventory.item.holder', { holder: 'Konferensrummet' })),
        "shown.includes(t(language, 'inventory.item.holder', { holder: 'Konferensrumme...",
      );
      assert.ok(
        shown.includes(t(language, 'inventory.unit.title', { unit: unit.unitName })),
        "shown.includes(t(language, 'inventory.unit.title', { unit: unit.unitName }))",
      );
      assert.deepEqual(
        executeActions(card).map((a) => [a.verb, a.data]),
        [
          ['inventory.mine', {}],
          ['inventory.unit', { unitId: unit.unitId }],
        ],
        'no Discard for someone who may not discard',
      );
    });
  }

  it('gives a coordinator Discard per item with ids only, and asks for the reason on a card of its own', () => {
    const list = inventoryReply({
      language: 'sv',
      names,
      scope: unit,
      content: { kind: 'items', items, mayDiscard: true },
    }).card;
    const discards = (card: unknown) => executeActions(card).filter((a) => a.verb === 'inventory.discard');
    assert.deepEqual(
      discards(list).map((a) => a.data),
      [
        { itemId: 'i-3', version: 1, unitId: unit.unitId },
        { itemId: 'i-1', version: 1, unitId: unit.unitId },
        { itemId: 'i-2', version: 1, unitId: unit.unitId },
      ],
    );
    assert.deepEqual(inputIds(list), []);
    const confirm = inventoryReply({
      language: 'sv',
      names,
      scope: unit,
      content: { kind: 'items', items, mayDiscard: true },
      confirm: items[0],
    }).card;
    assert.deepEqual(inputIds(confirm), ['reason']);
    let required: unknown;
    walkCard(confirm, (r) => {
      if (r.id === 'reason') required = r.isRequired;
    });
    assert.equal(required, true);
    assert.deepEqual(discards(confirm), [
      {
        verb: 'inventory.discard',
        data: { itemId: 'i-1', version: 1, unitId: unit.unitId },
        title: t('sv', 'inventory.discard.confirm'),
      },
    ]);
    assert.ok(!textRuns(confirm).includes(t('sv', 'inventory.item.tag', { tag: 'INV-2' })), 'only that item');
  });

  it('refuses with the IT coordinators named, and says when nothing is registered', () => {
    const refused = textRuns(
      inventoryReply({
        language: 'nn',
        names,
        scope: unit,
        content: { kind: 'refused', coordinatorIds: ['mona@x.se'] },
      }).card,
    );
    assert.ok(refused.includes(t('nn', 'inventory.refused', { names: 'Mona Jansson' })), refused.join(' | '));
    const empty = textRuns(
      inventoryReply({
        language: 'nb',
        names,
        scope: { kind: 'mine' },
        content: { kind: 'items', items: [], mayDiscard: false },
      }).card,
    );
    assert.ok(
      empty.includes(t('nb', 'inventory.mine.title')) && empty.includes(t('nb', 'inventory.empty')),
      "empty.includes(t('nb', 'inventory.mine.title')) && empty.includes(t('nb', 'in...",
    );
  });

  it('keeps register text literal and stays under 80 KB with thousands of items', () => {
    const evil = '[x](https://evil.example) ${$root}';
    const many = Array.from({ length: 3000 }, (_, i) =>
      item({
        id: `i-${i}`,
        assetTag: `${evil}-${i}`.padEnd(100, 'ö'),
        location: `${evil} ${i % 50}`.padEnd(200, 'ö'),
        room: evil,
      }),
    );
    const { card, summary } = inventoryReply({
      language: 'sv',
      names,
      scope: unit,
      content: { kind: 'items', items: many, mayDiscard: true },
    });
    assert.ok(
      textRuns(card).some((r) => r.startsWith(evil)),
      'the location as written',
    );
    assert.ok(
      textRuns(card).includes(t('sv', 'inventory.more', { count: 3000 - INVENTORY_LIMITS.items })),
      'the rest counted',
    );
    const size = Buffer.byteLength(JSON.stringify(card)) + Buffer.byteLength(summary);
    assert.ok(size < 80_000, `${size} bytes`);
  });
});
