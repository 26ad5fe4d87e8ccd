import type { Language, Organisation } from '../data/model.js';
import { typeName, type Catalogue } from '../services/equipment/catalogue.js';
import { t, type MessageKey } from '../services/i18n/index.js';
import type { FieldProblem } from '../services/requests/kinds.js';
import { formProblems, problemKey, type Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import { clip, currencyOf, formatMoney, isoDateOrEmpty, summaryOf } from './text.js';

/**
 * The equipment order form: the organisation's catalogue in the asker's language (types, and standard models with
 * their indicative price), how many, for whom, where, why and by when, and the unit when there is a choice. What an
 * equipment request shows once sent is the request card's (cards/requestCard.ts).
 */

/**
 * The equipment order form. Every input shows the user's value (after a refused submit) and the problem with it
 * ('' = none); the unit choice shows when the organisation has units.
 */
export interface EquipmentFormCardData {
  title: string;
  subtitle: string;
  /** An item the catalogue did not know ("I could not find X"), '' = none. */
  hintText: string;
  errorText: string;
  /** Idempotency key of this form: a retried submit stores one request. */
  formId: string;
  itemTypeLabel: string;
  itemTypePlaceholder: string;
  itemType: string;
  itemTypeChoices: { title: string; value: string }[];
  itemTypeError: string;
  hasModels: boolean;
  modelLabel: string;
  modelPlaceholder: string;
  model: string;
  modelChoices: { title: string; value: string }[];
  modelError: string;
  quantityLabel: string;
  quantity: number;
  quantityError: string;
  forWhomLabel: string;
  forWhomPlaceholder: string;
  forWhom: string;
  forWhomError: string;
  locationLabel: string;
  locationPlaceholder: string;
  location: string;
  locationError: string;
  justificationLabel: string;
  justificationPlaceholder: string;
  justification: string;
  justificationError: string;
  wantedByLabel: string;
  wantedBy: string;
  wantedByError: string;
  hasUnits: boolean;
  unitLabel: string;
  unitId: string;
  unitChoices: { title: string; value: string }[];
  unitError: string;
  submitTitle: string;
}

const render = cardRenderer<EquipmentFormCardData>('equipmentFormCard');

/** What the form shows: defaults when it opens, the user's inputs after a refused submit. All strings, as cards send. */
export interface EquipmentFormValues {
  itemType: string;
  model: string;
  quantity: string;
  forWhom: string;
  location: string;
  justification: string;
  wantedBy: string;
  unitId: string;
}

export interface EquipmentFormInput {
  language: Language;
  organisation: Organisation;
  catalogue: Catalogue;
  /** The units the order may be for (the requester's orderer units, else all of the organisation's); first = default. */
  units: readonly { id: string; name: string }[];
  formId: string;
  values: EquipmentFormValues;
  /** What the user typed for the item when the catalogue knew no such type. */
  unknownItem?: string;
  problems?: readonly FieldProblem[];
}

const FORM_FIELDS = [
  'itemType',
  'model',
  'quantity',
  'forWhom',
  'location',
  'justification',
  'wantedBy',
  'unitId',
] as const;
type FormField = (typeof FORM_FIELDS)[number];

/** Messages by field where the generic one would mislead ("the text is too long" for a quantity of 500). */
const FIELD_PROBLEMS: Partial<Record<FormField, MessageKey>> = {
  itemType: 'equipment.problem.itemType',
  model: 'equipment.problem.model',
  quantity: 'equipment.problem.quantity',
  unitId: 'equipment.problem.unit',
};

/** The engine's name for a form input, where it differs ('unit' is the request's unit, the form's `unitId`). */
function formFieldOf(field: string): string {
  return field === 'unit' ? 'unitId' : field;
}

/** The equipment order form; with `problems`, each input carries its message and the values stay. */
export function equipmentFormReply(input: EquipmentFormInput): Reply {
  const lang = input.language;
  const { error, errorText, messages } = formProblems(lang, input.problems, FORM_FIELDS, {
    inputOf: formFieldOf,
    keyOf: (field, problem) =>
      problem.problem === 'required' ? 'problem.required' : (FIELD_PROBLEMS[field] ?? problemKey(problem)),
  });
  const v = input.values;
  const types = input.catalogue.types;
  const chosen = types.find((type) => type.id === v.itemType);
  const modelTypes = chosen ? [chosen] : types;
  const currency = currencyOf(input.organisation, input.catalogue);
  const modelChoices = modelTypes.flatMap((type) =>
    type.models.map((model) => {
      const params = { model: clip(model.name, 100), type: typeName(type, lang) };
      return {
        title:
          model.price !== undefined
            ? t(lang, 'equipment.form.modelChoicePrice', {
                ...params,
                price: formatMoney(lang, model.price, model.currency ?? currency),
              })
            : t(lang, 'equipment.form.modelChoice', params),
        value: model.id,
      };
    }),
  );
  const quantity = Number.parseInt(v.quantity, 10);
  const data: EquipmentFormCardData = {
    title: t(lang, 'equipment.form.title'),
    subtitle: clip(input.organisation.name, 120),
    hintText:
      input.unknownItem !== undefined
        ? clip(t(lang, 'equipment.form.unknownItem', { item: clip(input.unknownItem, 100) }), 300)
        : '',
    errorText,
    formId: input.formId,
    itemTypeLabel: t(lang, 'equipment.form.itemType'),
    itemTypePlaceholder: t(lang, 'equipment.form.itemTypePlaceholder'),
    itemType: chosen?.id ?? '',
    itemTypeChoices: types.map((type) => ({ title: typeName(type, lang), value: type.id })),
    itemTypeError: error('itemType'),
    hasModels: modelChoices.length > 0,
    modelLabel: t(lang, 'equipment.form.model'),
    modelPlaceholder: t(lang, 'equipment.form.modelPlaceholder'),
    model: modelChoices.some((c) => c.value === v.model) ? v.model : '',
    modelChoices,
    modelError: error('model'),
    quantityLabel: t(lang, 'equipment.form.quantity'),
    quantity: Number.isInteger(quantity) && quantity >= 1 && quantity <= 100 ? quantity : 1,
    quantityError: error('quantity'),
    forWhomLabel: t(lang, 'equipment.form.forWhom'),
    forWhomPlaceholder: t(lang, 'equipment.form.forWhomPlaceholder'),
    forWhom: clip(v.forWhom, 200),
    forWhomError: error('forWhom'),
    locationLabel: t(lang, 'equipment.form.location'),
    locationPlaceholder: t(lang, 'equipment.form.locationPlaceholder'),
    location: clip(v.location, 200),
    locationError: error('location'),
    justificationLabel: t(lang, 'equipment.form.justification'),
    justificationPlaceholder: t(lang, 'equipment.form.justificationPlaceholder'),
    justification: clip(v.justification, 2000),
    justificationError: error('justification'),
    wantedByLabel: t(lang, 'equipment.form.wantedBy'),
    wantedBy: isoDateOrEmpty(v.wantedBy),
    wantedByError: error('wantedBy'),
    hasUnits: input.units.length > 0,
    unitLabel: t(lang, 'equipment.form.unit'),
    unitId: input.units.some((u) => u.id === v.unitId) ? v.unitId : (input.units[0]?.id ?? ''),
    unitChoices: input.units.map((u) => ({ title: clip(u.name, 120), value: u.id })),
    unitError: error('unitId'),
    submitTitle: t(lang, 'equipment.form.submit'),
  };
  const summary = [data.title, data.hintText, data.errorText, ...messages].filter((s) => s !== '').join(' ');
  return { card: render(data), summary: summaryOf(summary) };
}
