import type { Language, Organisation, Role } from '../data/model.js';
import { stepType, type Stage, type WorkRequest } from '../data/requestModel.js';
import {
  typeName,
  type Catalogue,
  type CatalogueSet,
  type CatalogueType,
} from '../services/equipment/catalogue.js';
import { formatDateTime, t, type MessageKey } from '../services/i18n/index.js';
import { roleLabel } from '../services/nlu/vocabulary.js';
import { lastAction } from '../services/requests/engine.js';
import { awaitsDecision } from '../services/requests/kinds.js';
import type { RegisterIndexes } from '../services/search/registerView.js';
import { clip, upperFirst } from './text.js';

/**
 * What the request cards (the request, the request lists, the inventory) say about a request alike: the names of
 * the people, systems and equipment it holds, its steps' titles and its status.
 */

/** Caps that keep the request cards under the 80 KB budget however long a route, its notes and a list are. */
export const REQUEST_LIMITS = {
  stages: 12,
  namesPerLine: 8,
  skippedPerStage: 8,
  unreachable: 8,
  listItems: 15,
  justification: 1000,
  reason: 500,
  /** The latest notes shown; older ones are counted. */
  notes: 5,
  note: 300,
  /** A recorded value (a delivery's asset tags can be a hundred lines), and how many one step shows. */
  value: 200,
  valuesPerStage: 6,
} as const;

/** Adaptive Card text colour of a request's or a step's state. */
export type StateColor = 'Default' | 'Good' | 'Attention' | 'Warning' | 'Accent';

/** Names for the ids a request holds. `requestNamesFrom` builds it from the register's current indexes. */
export interface RequestNames {
  personName(id: string): string | undefined;
  /** The person's e-mail address; absent or undefined = the person id (a lower-cased e-mail) is shown. */
  personEmail?(id: string): string | undefined;
  systemName(id: string): string | undefined;
  organisation(id: string): Organisation | undefined;
  /** The unit's name; absent or undefined = the unit is not shown. */
  unitName?(id: string): string | undefined;
  /** The organisation's equipment catalogue; absent = catalogue ids are shown as stored. */
  catalogue?(organisationId: string): Catalogue | undefined;
}

export function requestNamesFrom(
  indexes: Pick<RegisterIndexes, 'people' | 'systems' | 'organisations' | 'units'>,
  catalogues: CatalogueSet,
): RequestNames {
  return {
    personName: (id) => indexes.people.get(id)?.name,
    personEmail: (id) => indexes.people.get(id)?.email,
    systemName: (id) => indexes.systems.get(id)?.name,
    organisation: (id) => indexes.organisations.get(id),
    unitName: (id) => indexes.units.get(id)?.name,
    catalogue: (organisationId) => catalogues.for(organisationId),
  };
}

/** Who looks at the card: decides which buttons it has. */
export interface RequestViewer {
  /** Person id (lower-cased e-mail / UPN). */
  personId: string;
}

/** A person's name by id (the id when the register has none), capped. */
export type PersonName = (id: string) => string;

export function personNames(names: RequestNames): PersonName {
  return (id) => clip(names.personName(id) ?? id, 120);
}

/** Step titles by the step's name, where the name says more than the role (the IT unit quotes, orders, delivers). */
export const STEP_TITLES: Partial<Record<string, MessageKey>> = {
  quote: 'step.title.quote',
  accept_quote: 'step.title.accept_quote',
  order: 'step.title.order',
  deliver: 'step.title.deliver',
  install: 'step.title.install',
};

/** The catalogue's type, or undefined for a type no longer in it (the id is shown then). */
function typeOf(catalogue: Catalogue | undefined, typeId: string): CatalogueType | undefined {
  return catalogue?.types.find((type) => type.id === typeId);
}

/** The equipment type's name in `language`; the stored id when the catalogue no longer has it. */
export function itemTypeName(catalogue: Catalogue | undefined, typeId: string, language: Language): string {
  const type = typeOf(catalogue, typeId);
  return clip(type ? typeName(type, language) : typeId, 120);
}

/** The standard model's name; a model id the catalogue does not know is shown as stored. */
export function modelName(catalogue: Catalogue | undefined, typeId: string, modelId: string): string {
  const model = typeOf(catalogue, typeId)?.models.find((m) => m.id === modelId);
  return clip(model?.name ?? modelId, 120);
}

/** "Projector × 2": what an equipment request is for, in titles and lists. */
export function equipmentHeading(
  request: WorkRequest,
  language: Language,
  catalogue: Catalogue | undefined,
): string {
  const item = itemTypeName(catalogue, String(request.fields.itemType ?? ''), language);
  const quantity = Number(request.fields.quantity ?? 1);
  return quantity === 1 ? item : t(language, 'equipment.itemCount', { item, quantity });
}

/** An access request's change (new access, a change, an end), or undefined for anything else stored. */
export function changeOf(value: unknown): 'new' | 'change' | 'stop' | undefined {
  return value === 'new' || value === 'change' || value === 'stop' ? value : undefined;
}

/** Register roles behind the routing roles, for their labels in the organisation's words. */
const SOURCE_ROLES: Record<string, Role> = {
  system_administrator: 'administrator',
  system_deputy: 'deputy',
  system_owner: 'owner',
  unit_it_orderer: 'it_orderer',
  security_officer: 'security_officer',
  it_coordinator: 'it_coordinator',
  it_unit: 'it_unit',
};

/** A routing role (who decides or acts) in the organisation's words. */
export function sourceLabel(source: string, lang: Language, organisation: Organisation | undefined): string {
  const role = SOURCE_ROLES[source];
  if (role) return roleLabel(role, lang, organisation);
  if (source === 'subject_manager') return t(lang, 'request.role.manager');
  return source;
}

/**
 * A step's title: by its name where the name says what happens (Quote from the IT unit, Installation), else a
 * decision by its role (Manager, IT orderer) and other work as "Carrying out".
 */
export function stageTitle(stage: Stage, lang: Language, organisation: Organisation | undefined): string {
  const named = STEP_TITLES[stage.name];
  if (named) return t(lang, named);
  if (stepType(stage) === 'work') return t(lang, 'request.task.title');
  return upperFirst(sourceLabel(stage.role, lang, organisation));
}

/** Where a request stands, in one line and a colour: whom it waits for, or who ended it and when. */
export function statusOf(
  request: WorkRequest,
  lang: Language,
  organisation: Organisation | undefined,
  person: PersonName,
): { text: string; color: StateColor } {
  const last = lastAction(request);
  const params = last ? { name: person(last.by), at: formatDateTime(lang, last.at) } : { name: '', at: '' };
  switch (request.status) {
    case 'open': {
      const stage = request.stages[request.currentStage];
      if (stage && STEP_TITLES[stage.name] !== undefined) {
        const step = stageTitle(stage, lang, organisation);
        return { text: t(lang, 'step.status.waiting', { step }), color: 'Accent' };
      }
      if (stage && awaitsDecision(request)) {
        return {
          text: t(lang, 'request.status.waiting', { stage: sourceLabel(stage.role, lang, organisation) }),
          color: 'Accent',
        };
      }
      return { text: t(lang, 'request.status.task'), color: 'Accent' };
    }
    case 'rejected':
      return {
        text: t(
          lang,
          last?.stage === 'accept_quote' ? 'step.accept_quote.rejected' : 'request.status.rejected',
          params,
        ),
        color: 'Attention',
      };
    case 'cancelled':
      return { text: t(lang, 'request.status.cancelled', params), color: 'Warning' };
    case 'done': {
      if (last?.action !== 'done') return { text: t(lang, 'request.status.approved'), color: 'Good' };
      const key =
        request.kind === 'access'
          ? 'request.status.done'
          : request.kind === 'equipment'
            ? 'equipment.status.done'
            : 'step.status.done';
      return { text: t(lang, key, params), color: 'Good' };
    }
    case 'failed':
      return { text: t(lang, 'request.status.failed', params), color: 'Attention' };
    case 'expired':
      return {
        text: t(lang, 'request.status.expired', {
          days: request.expired?.afterWorkingDays ?? 0,
          at: formatDateTime(lang, request.expired?.at ?? request.updatedAt),
        }),
        color: 'Warning',
      };
  }
}
