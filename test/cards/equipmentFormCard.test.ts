import assert from 'node:assert/strict';
import { equipmentFormReply, type EquipmentFormValues } from '../../cards/equipmentFormCard.js';
import { LANGUAGES } from '../../data/model.js';
import type { Catalogue } from '../../services/equipment/catalogue.js';
import { t } from '../../services/i18n/index.js';
import { executeActions, inputIds, textRuns, walkCard } from '../fixtures/cardQueries.js';
import { catalogue, STORSJO as storsjo } from './fixtures/storsjo.js';

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
