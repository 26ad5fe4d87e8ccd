import assert from 'node:assert/strict';
import { equipmentFormReply, type EquipmentFormValues } from '../../cards/equipmentFormCard.js';
import { inventoryReply, INVENTORY_LIMITS } from '../../cards/inventoryCard.js';
import type { RequestNames } from '../../cards/requestText.js';
import { LANGUAGES, type Organisation } from '../../data/model.js';
import type { InventoryItem } from '../../data/requestModel.js';
import type { Catalogue } from '../../services/equipment/catalogue.js';
import { t } from '../../services/i18n/index.js';
import { executeActions, inputIds, textRuns, walkCard } from '../fixtures/cardQueries.js';

const catalogue: Catalogue = {
  types: [
    {
      id: 'projector',
      names: { sv: ['Projektor'], nn: ['Prosjektor'], nb: ['Prosjektor'], en: ['Projector'] },
      models: [{ id: 'epson-eb', name: 'Epson EB-L210', price: 9900, currency: 'SEK' }],
    },
    {
      id: 'screen',
      names: { sv: ['Skärm'], nn: ['Skjerm'], nb: ['Skjerm'], en: ['Screen'] },
      models: [{ id: 'dell-p2425', name: 'Dell P2425' }],
    },
  ],
};
const storsjo: Organisation = { id: 'storsjo-kommun', name: 'Storsjö kommun', language: 'sv' };
const blank: EquipmentFormValues = {
  itemType: '',
  model: '',
  quantity: '1',
  forWhom: '',
  location: '',
  justification: '',
  wantedBy: '',
  unitId: '',
};
const units = [
  { id: 'storsjo-kommun/vof', name: 'Vård- och omsorgsförvaltningen' },
  { id: 'storsjo-kommun/soc', name: 'Socialförvaltningen' },
];

function inputsOf(card: unknown): Record<string, Record<string, unknown>> {
  const found: Record<string, Record<string, unknown>> = {};
  walkCard(card, (r) => {
    if (typeof r.type === 'string' && r.type.startsWith('Input.')) found[String(r.id)] = r;
  });
  return found;
}

describe('equipmentFormReply', () => {
  for (const language of LANGUAGES) {
    it(`asks for type, model, quantity, for whom, location, justification, date and unit in ${language}`, () => {
      const { card, summary } = equipmentFormReply({
        language,
        organisation: storsjo,
        catalogue,
        units,
        formId: '6a3c5e1e-7c44-4d0e-9a53-0a3c2b9f1d11',
        values: { ...blank, itemType: 'projector', quantity: '2', forWhom: 'konferensrummet' },
      });
      assert.ok(!JSON.stringify(card).includes('${'), 'no template expression left');
      assert.deepEqual(inputIds(card), [
        'itemType',
        'model',
        'quantity',
        'forWhom',
        'location',
        'justification',
        'wantedBy',
        'unitId',
      ]);
      const inputs = inputsOf(card);
      assert.equal(inputs.itemType!.value, 'projector');
      assert.deepEqual(
        (inputs.itemType!.choices as { title: string }[]).map((c) => c.title),
        [catalogue.types[0]!.names[language][0], catalogue.types[1]!.names[language][0]],
      );
      const models = inputs.model!.choices as { title: string; value: string }[];
      assert.deepEqual(
        models.map((m) => m.value),
        ['epson-eb'],
        'only the models of the chosen type',
      );
      assert.match(models[0]!.title, /Epson EB-L210 .*9[\s,.]?900/);
      assert.equal(inputs.quantity!.value, 2);
      assert.equal(inputs.forWhom!.value, 'konferensrummet');
      assert.equal(inputs.unitId!.value, 'storsjo-kommun/vof', 'the first unit is the default');
      assert.ok(
        textRuns(card).includes(t(language, 'equipment.form.title')),
        "textRuns(card).includes(t(language, 'equipment.form.title'))",
      );
      assert.deepEqual(executeActions(card), [
        {
          verb: 'equipment.submit',
          data: { formId: '6a3c5e1e-7c44-4d0e-9a53-0a3c2b9f1d11' },
          title: t(language, 'equipment.form.submit'),
        },
      ]);
      assert.ok(
        summary.includes(t(language, 'equipment.form.title')),
        "summary.includes(t(language, 'equipment.form.title'))",
      );
    });
  }

  it('says when the catalogue does not know the item and leaves the type open', () => {
    const { card } = equipmentFormReply({
      language: 'sv',
      organisation: storsjo,
      catalogue,
      units: [],
      formId: 'f',
      values: blank,
      unknownItem: 'hologram',
    });
    assert.ok(
      textRuns(card).includes(t('sv', 'equipment.form.unknownItem', { item: 'hologram' })),
      "textRuns(card).includes(t('sv', 'equipment.form.unknownItem', { item: 'hologr...",
    );
    assert.equal(inputsOf(card).itemType!.value, '');
    assert.equal(
      (inputsOf(card).model!.choices as unknown[]).length,
      2,
      'every type’s models while none is chosen',
    );
    assert.ok(!inputIds(card).includes('unitId'), 'no unit choice without units');
  });

  it('shows each problem under its input and keeps the values, with field-specific messages', () => {
    const { card } = equipmentFormReply({
      language: 'en',
      organisation: storsjo,
      catalogue,
      units,
      formId: 'f',
      values: {
        ...blank,
        itemType: 'screen',
        quantity: '500',
        justification: 'Need it',
        unitId: 'storsjo-kommun/soc',
      },
      problems: [
        { field: 'quantity', problem: 'tooLong' },
        { field: 'location', problem: 'required' },
        { field: 'model', problem: 'invalidChoice' },
        { field: 'unit', problem: 'invalid' },
      ],
    });
    const shown = textRuns(card);
    for (const key of [
      'request.form.errors',
      'equipment.problem.quantity',
      'problem.required',
      'equipment.problem.model',
      'equipment.problem.unit',
    ] as const)
      assert.ok(shown.includes(t('en', key)), `${key}: ${shown.join(' | ')}`);
    const inputs = inputsOf(card);
    assert.equal(inputs.justification!.value, 'Need it');
    assert.equal(inputs.unitId!.value, 'storsjo-kommun/soc');
  });

  it('keeps markup and template expressions typed into the form literal', () => {
    const evil = '[x](https://evil.example) ${$root}';
    const { card } = equipmentFormReply({
      language: 'sv',
      organisation: storsjo,
      catalogue,
      units,
      formId: 'f',
      values: { ...blank, forWhom: evil, justification: evil },
      unknownItem: evil,
    });
    assert.equal(inputsOf(card).forWhom!.value, evil);
    assert.ok(
      textRuns(card).some((r) => r.includes(evil)),
      'textRuns(card).some((r) => r.includes(evil))',
    );
  });

  it('stays under 80 KB with a large catalogue and many units', () => {
    const big: Catalogue = {
      types: Array.from({ length: 100 }, (_, i) => ({
        id: `type-${i}`,
        names: { sv: [`Typ ${i}`], nn: [`Type ${i}`], nb: [`Type ${i}`], en: [`Type ${i}`] },
        models: Array.from({ length: 3 }, (_, j) => ({
          id: `m-${j}`,
          name: `Modell ${i}-${j}`.padEnd(90, 'x'),
        })),
      })),
    };
    const many = Array.from({ length: 60 }, (_, i) => ({
      id: `u-${i}`,
      name: `Enhet ${i}`.padEnd(100, 'ö'),
    }));
    const { card } = equipmentFormReply({
      language: 'sv',
      organisation: storsjo,
      catalogue: big,
      units: many,
      formId: 'f',
      values: blank,
    });
    const size = Buffer.byteLength(JSON.stringify(card));
    assert.ok(size < 80_000, `${size} bytes`);
  });
});

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
