import { z } from 'zod';
import type { InventoryItem } from '../../data/requestModel.js';
import type { CatalogueSet } from '../equipment/catalogue.js';
import {
  addProblem,
  defineKind,
  optionalIsoDate,
  optionalText,
  text,
  typedNumber,
  type AnyKind,
  type Fields,
  type StepEffectContext,
} from './kinds.js';

/**
 * Equipment for a unit (Kalix section 5, the IKT-bestillar of seed 000): a type from the organisation's catalogue
 * (optionally a standard model), how many, for whom or which room, where, why, wanted by when.
 *
 * Route (policies may change who, not what the steps record): an IT orderer authorised for the unit approves – the
 * step falls away when the requester is one, and nobody else ever stands in for it (no fallback: the authorisation
 * list is the rule) → the IT unit quotes cost and delivery time → the unit's IT orderers accept the quote (the
 * requester too, when they ordered as an IT orderer) or cancel → the IT unit orders → registers the delivery (one
 * asset tag or serial per item; the inventory items are written with the step) → installs. The requester is told at
 * every step (outbox 'info').
 */

const MAX_QUANTITY = 100;

/** Steps whose names the values and records below are keyed by. */
export const EQUIPMENT_STEPS = {
  orderer: 'it_orderer',
  quote: 'quote',
  accept: 'accept_quote',
  order: 'order',
  deliver: 'deliver',
  install: 'install',
} as const;

/** The asset tags or serials of a delivery: one per item, separated by line breaks, commas or semicolons. */
export function assetTagsOf(value: string): string[] {
  return value
    .split(/[\n\r,;]+/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

const equipmentOptions = z.object({}).strict();

export function equipmentKind(catalogues: CatalogueSet): AnyKind {
  return defineKind({
    kind: 'equipment',
    system: 'none',
    options: equipmentOptions,
    fields: (_options, context) => {
      // The engine keeps this schema: the catalogue is read at each check, so a changed catalogue counts at once.
      return z
        .object({
          itemType: text(60),
          model: optionalText(100),
          quantity: typedNumber({ min: 1, max: MAX_QUANTITY, whole: true }),
          forWhom: optionalText(200),
          location: text(200),
          justification: text(2000),
          wantedBy: optionalIsoDate(),
        })
        .strict()
        .superRefine((f, ctx) => {
          const type = catalogues.for(context.organisationId).types.find((t) => t.id === f.itemType);
          if (!type) {
            addProblem(ctx, 'itemType', 'invalidChoice');
            return;
          }
          if (f.model !== null && !type.models.some((m) => m.id === f.model)) {
            addProblem(ctx, 'model', 'invalidChoice');
          }
        });
    },
    steps: {
      [EQUIPMENT_STEPS.quote]: {
        record: () => z.object({ cost: typedNumber({ min: 0, max: 100_000_000 }), delivery: text(200) }),
      },
      [EQUIPMENT_STEPS.deliver]: {
        record: (request) =>
          z
            .object({
              assetTags: text(4000),
              location: text(200),
              holder: optionalText(200),
            })
            .superRefine((values, ctx) => {
              const tags = assetTagsOf(values.assetTags);
              if (tags.length !== Number(request.fields.quantity))
                addProblem(ctx, 'assetTags', 'countMismatch');
              else if (new Set(tags.map((t) => t.toLowerCase())).size !== tags.length) {
                addProblem(ctx, 'assetTags', 'duplicate');
              } else if (tags.some((t) => t.length > 100)) addProblem(ctx, 'assetTags', 'tooLong');
            }),
        effects: (context) => ({ inventory: deliveredItems(context) }),
      },
    },
    defaultRoute: {
      stages: [
        { name: EQUIPMENT_STEPS.orderer, role: 'unit_it_orderer', satisfiedByRequester: true },
        { name: EQUIPMENT_STEPS.quote, type: 'work', role: 'it_unit', fallback: ['it_coordinator'] },
        { name: EQUIPMENT_STEPS.accept, role: 'unit_it_orderer', requesterMayAct: true },
        { name: EQUIPMENT_STEPS.order, type: 'work', role: 'it_unit', fallback: ['it_coordinator'] },
        { name: EQUIPMENT_STEPS.deliver, type: 'work', role: 'it_unit', fallback: ['it_coordinator'] },
        { name: EQUIPMENT_STEPS.install, type: 'work', role: 'it_unit', fallback: ['it_coordinator'] },
      ],
    },
    urgent: () => false,
  });
}

/**
 * One inventory item per asset tag. The holder is a person when it is an e-mail address (registered to them: "what
 * is registered to me"), else the room or purpose as written; not given, the request's "for whom", and without
 * that the person the request is for.
 */
function deliveredItems(context: StepEffectContext<Fields>): InventoryItem[] {
  const { request, values, actorId, at } = context;
  const given = typeof values.holder === 'string' ? values.holder : request.fields.forWhom;
  const holder = typeof given === 'string' ? given.trim() : '';
  const isPerson = /^[^\s@]+@[^\s@]+$/.test(holder);
  return assetTagsOf(String(values.assetTags)).map((assetTag) => {
    const item: InventoryItem = {
      id: context.newId(),
      organisationId: request.organisationId,
      itemType: String(request.fields.itemType),
      assetTag,
      location: String(values.location),
      status: 'in_use',
      registeredAt: at,
      registeredBy: actorId,
      requestId: request.id,
      version: 1,
    };
    if (request.unitId !== undefined) item.unitId = request.unitId;
    if (typeof request.fields.model === 'string') item.model = request.fields.model;
    if (isPerson) item.holderId = holder.toLowerCase();
    else if (holder !== '') item.room = holder;
    else item.holderId = request.subjectId;
    return item;
  });
}
