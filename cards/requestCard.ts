import type { Language, Organisation, Role } from '../data/model.js';
import { stepType, type Stage, type Unreachable, type WorkRequest } from '../data/requestModel.js';
import {
  typeName,
  type Catalogue,
  type CatalogueSet,
  type CatalogueType,
} from '../services/equipment/catalogue.js';
import { formatDate, formatDateTime, formatList, t, type MessageKey } from '../services/i18n/index.js';
import { roleLabel } from '../services/nlu/vocabulary.js';
import { awaitsPerson, lastAction, onRoute, type LastAction } from '../services/requests/engine.js';
import { assetTagsOf } from '../services/requests/equipmentKind.js';
import { awaitsDecision, awaitsTask, type FieldProblem } from '../services/requests/kinds.js';
import type { RoutingProblem } from '../services/requests/routing.js';
import type { RegisterIndexes } from '../services/search/registerView.js';
import { chatUrl, clip, summaryOf, upperFirst, type Reply } from './answers.js';
import type {
  LabelValue,
  RequestCardData,
  RequestFormCardData,
  RequestListItemCardData,
  RequestNoteCardData,
  RequestStageCardData,
  StepInputCardData,
  UnreachableCardData,
} from './cardData.js';
import { renderCard } from './render.js';

/**
 * Requests as cards: the access form, one request of any kind as one viewer sees it, and the lists. A request's
 * route is shown step by step by type (a decision: approved or rejected by whom, when, why; work: done or not by
 * whom, when, with the values it recorded), with the current step's buttons for its people. Everything shown is
 * computed here from the stored request, the register's names and the organisation's equipment catalogue; user
 * text (role, justification, reasons, notes, recorded values) is laid out in TextRuns only, and the plain-text
 * summary is Markdown-escaped.
 */

/** Caps that keep a request card under the 80 KB budget however long its route and its notes are. */
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

/** A line shown above the request after a click. */
export type RequestNotice =
  | { kind: 'submitted' }
  | { kind: 'unchanged'; last?: LastAction }
  | { kind: 'reasonRequired' }
  | { kind: 'noteRequired' }
  | { kind: 'noteTextRequired' }
  | { kind: 'values' }
  | { kind: 'tooLong' };

export interface RequestReplyContext {
  names: RequestNames;
  notice?: RequestNotice;
  /** From a fresh submission: steps no one could be found for, with whom to contact. */
  routingProblems?: readonly RoutingProblem[];
  /** From a refused click on a work step: the problem per input, and what the user had typed (kept in the inputs). */
  problems?: readonly FieldProblem[];
  inputs?: Readonly<Record<string, string>>;
}

/** Step titles by the step's name, where the name says more than the role (the IT unit quotes, orders, delivers). */
const STEP_TITLES: Partial<Record<string, MessageKey>> = {
  quote: 'step.title.quote',
  accept_quote: 'step.title.accept_quote',
  order: 'step.title.order',
  deliver: 'step.title.deliver',
  install: 'step.title.install',
};

/** The Done button of a work step, by the step's name; access keeps "Done – access changed". */
const DONE_TITLES: Partial<Record<string, MessageKey>> = {
  quote: 'step.done.quote',
  order: 'step.done.order',
  deliver: 'step.done.deliver',
  install: 'step.done.install',
};

/** Labels of the values work steps record; a value of another key is shown under its own name. */
const VALUE_LABELS: Partial<Record<string, MessageKey>> = {
  cost: 'step.value.cost',
  delivery: 'step.value.delivery',
  assetTags: 'step.value.assetTags',
  location: 'step.value.location',
  holder: 'step.value.holder',
};

/**
 * The request card for `viewer` in `language`, with buttons by the viewer's part in the request's current state:
 * Approve / Reject (Accept quote / Cancel order) with a reason input for the people of a current decision, Done (with
 * the step's inputs) / Could not with a note for the people of current work, Cancel for the requester while it is
 * open, and Add note for the requester, the subject and everyone on the route while it is open. The requester and the
 * subject act on their own request only where the step lets the requester (`requesterMayAct`), as the engine does.
 * The delivery side renders outbox items with this too.
 */
export function requestReply(
  request: WorkRequest,
  viewer: RequestViewer,
  language: Language,
  context: RequestReplyContext,
): Reply {
  const lang = language;
  const { names } = context;
  const person = (id: string) => clip(names.personName(id) ?? id, 120);
  const organisation = names.organisation(request.organisationId);
  const catalogue = names.catalogue?.(request.organisationId);
  const viewerId = viewer.personId.trim().toLowerCase();
  const ownRequest = viewerId === request.requesterId || viewerId === request.subjectId;
  const kind = kindView(request, lang, names, catalogue, person);

  const shownStages = request.stages.slice(0, REQUEST_LIMITS.stages);
  const render: StageRender = { request, lang, organisation, catalogue, person };
  const stages = shownStages.map((stage, i) => stageData(render, stage, i));
  const hiddenStages = request.stages.length - shownStages.length;

  const status = statusOf(request, lang, organisation, person);
  const contacts = [...new Set((context.routingProblems ?? []).flatMap((p) => p.contacts))];
  const current = request.status === 'open' ? request.stages[request.currentStage] : undefined;
  const mayAct =
    current !== undefined &&
    awaitsPerson(request, viewerId) &&
    (!ownRequest || (current.requesterMayAct === true && viewerId === request.requesterId));
  const canDecide = mayAct && awaitsDecision(request);
  const canComplete = mayAct && awaitsTask(request);
  const acceptQuote = current?.name === 'accept_quote';
  const notes = request.notes ?? [];
  const shownNotes = notes.slice(-REQUEST_LIMITS.notes);
  const data: RequestCardData = {
    title: clip(kind.title, 200),
    urgentText: request.urgent ? t(lang, 'request.urgent') : '',
    statusText: status.text,
    statusColor: status.color,
    noticeText: context.notice ? noticeText(context.notice, lang, person) : '',
    facts: kind.facts,
    routeTitle: t(lang, 'request.route'),
    stages,
    moreStagesText: hiddenStages > 0 ? t(lang, 'request.moreStages', { count: hiddenStages }) : '',
    contactsText:
      contacts.length > 0
        ? clip(t(lang, 'request.contacts', { names: namesText(lang, contacts, person) }), 600)
        : '',
    unreachable: ownRequest ? unreachableData(request, lang, names) : [],
    requestId: request.id,
    version: request.version,
    canDecide,
    reasonLabel: t(lang, acceptQuote ? 'step.accept_quote.reason' : 'request.reason'),
    reasonPlaceholder: t(lang, 'request.reasonPlaceholder'),
    approveTitle: t(lang, acceptQuote ? 'step.accept_quote.approve' : 'request.approve'),
    rejectTitle: t(lang, acceptQuote ? 'step.accept_quote.reject' : 'request.reject'),
    canCancel: request.status === 'open' && viewerId === request.requesterId,
    cancelTitle: t(lang, 'request.cancel'),
    canComplete,
    stepInputs: canComplete && current ? stepInputs(render, current, context) : [],
    noteLabel: t(lang, 'request.note'),
    notePlaceholder: t(lang, 'request.notePlaceholder'),
    doneTitle: t(
      lang,
      DONE_TITLES[current?.name ?? ''] ?? (request.kind === 'access' ? 'request.done' : 'step.done'),
    ),
    failedTitle: t(lang, 'request.failed'),
    notesTitle: notes.length > 0 ? t(lang, 'notes.title') : '',
    notes: shownNotes.map((note): RequestNoteCardData => ({
      heading: t(lang, 'notes.by', { name: person(note.by), at: formatDateTime(lang, note.at) }),
      text: clip(note.text, REQUEST_LIMITS.note),
    })),
    moreNotesText:
      notes.length > shownNotes.length
        ? t(lang, 'notes.more', { count: notes.length - shownNotes.length })
        : '',
    canNote: request.status === 'open' && (ownRequest || onRoute(request, viewerId)),
    addNoteLabel: t(lang, 'notes.add'),
    addNotePlaceholder: t(lang, 'notes.placeholder'),
    addNoteTitle: t(lang, 'notes.button'),
  };
  const summary = [
    data.noticeText,
    `${data.title}.`,
    data.urgentText,
    `${data.statusText}.`,
    ...data.unreachable.map((u) => u.text),
    kind.facts.map((f) => `${f.label}: ${f.value}`).join('; '),
  ]
    .filter((s) => s !== '')
    .join(' ');
  return { card: renderCard('requestCard', data), summary: summaryOf(summary) };
}

type PersonName = (id: string) => string;

/** What a request of its kind shows above the route: its title and its facts. */
function kindView(
  request: WorkRequest,
  lang: Language,
  names: RequestNames,
  catalogue: Catalogue | undefined,
  person: PersonName,
): { title: string; facts: LabelValue[] } {
  const requester = { label: t(lang, 'request.fact.requester'), value: person(request.requesterId) };
  if (request.kind === 'equipment') {
    const unitName = request.unitId !== undefined ? names.unitName?.(request.unitId) : undefined;
    return {
      title: t(lang, 'equipment.title', { item: equipmentHeading(request, lang, catalogue) }),
      facts: [requester, ...equipmentFacts(request, lang, catalogue, unitName)],
    };
  }
  const systemName = clip(
    (request.systemId && names.systemName(request.systemId)) ?? request.systemId ?? '',
    120,
  );
  if (request.kind !== 'access') {
    const facts = [requester, { label: t(lang, 'request.fact.subject'), value: person(request.subjectId) }];
    for (const [key, value] of Object.entries(request.fields)) {
      if (value !== null && value !== '')
        facts.push({ label: clip(key, 60), value: clip(String(value), 300) });
    }
    return { title: systemName ? `${request.kind}: ${systemName}` : request.kind, facts };
  }
  const fields = request.fields;
  const change = changeOf(fields.change);
  const facts: LabelValue[] = [
    requester,
    { label: t(lang, 'request.fact.subject'), value: person(request.subjectId) },
    { label: t(lang, 'request.fact.system'), value: systemName },
  ];
  if (change) facts.push({ label: t(lang, 'request.fact.kind'), value: t(lang, `request.change.${change}`) });
  const role = textOf(fields.role, 200);
  if (role) facts.push({ label: t(lang, 'request.fact.role'), value: role });
  const justification = textOf(fields.justification, REQUEST_LIMITS.justification);
  if (justification) facts.push({ label: t(lang, 'request.fact.justification'), value: justification });
  const startDate = textOf(fields.startDate, 20);
  if (startDate) facts.push({ label: t(lang, 'request.fact.startDate'), value: formatDate(lang, startDate) });
  const endDate = textOf(fields.endDate, 20);
  if (endDate) facts.push({ label: t(lang, 'request.fact.endDate'), value: formatDate(lang, endDate) });
  if (fields.policyConfirmed === true)
    facts.push({ label: t(lang, 'request.fact.policy'), value: t(lang, 'request.yes') });
  return { title: t(lang, 'request.title', { system: systemName }), facts };
}

function textOf(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? clip(value, max) : undefined;
}

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

const INTL_LOCALE: Record<Language, string> = { sv: 'sv-SE', nn: 'nn-NO', nb: 'nb-NO', en: 'en-GB' };

/**
 * The currency amounts are given in: the organisation's country's (Swedish organisations SEK, Norwegian NOK); an
 * English-speaking organisation's from its catalogue's prices, else none (the number alone).
 */
export function currencyOf(
  organisation: Organisation | undefined,
  catalogue: Catalogue | undefined,
): string | undefined {
  if (organisation?.language === 'sv') return 'SEK';
  if (organisation?.language === 'nn' || organisation?.language === 'nb') return 'NOK';
  return catalogue?.types.flatMap((type) => type.models).find((m) => m.currency !== undefined)?.currency;
}

/** An amount as people write money in `language` ("2 400,50 kr", "NOK 2,400.50"). */
export function formatMoney(language: Language, amount: number, currency: string | undefined): string {
  return new Intl.NumberFormat(INTL_LOCALE[language], {
    ...(currency ? { style: 'currency', currency } : {}),
    maximumFractionDigits: 2,
  }).format(amount);
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

/** The facts of an equipment request, in the order the form asks them. */
function equipmentFacts(
  request: WorkRequest,
  lang: Language,
  catalogue: Catalogue | undefined,
  unitName: string | undefined,
): LabelValue[] {
  const fields = request.fields;
  const typeId = String(fields.itemType ?? '');
  const facts: LabelValue[] = [
    { label: t(lang, 'equipment.fact.item'), value: itemTypeName(catalogue, typeId, lang) },
  ];
  const model = textOf(fields.model, 100);
  if (model)
    facts.push({ label: t(lang, 'equipment.fact.model'), value: modelName(catalogue, typeId, model) });
  facts.push({ label: t(lang, 'equipment.fact.quantity'), value: String(fields.quantity ?? '') });
  const forWhom = textOf(fields.forWhom, 200);
  if (forWhom) facts.push({ label: t(lang, 'equipment.fact.forWhom'), value: forWhom });
  const location = textOf(fields.location, 200);
  if (location) facts.push({ label: t(lang, 'equipment.fact.location'), value: location });
  const justification = textOf(fields.justification, REQUEST_LIMITS.justification);
  if (justification) facts.push({ label: t(lang, 'request.fact.justification'), value: justification });
  const wantedBy = textOf(fields.wantedBy, 20);
  if (wantedBy) facts.push({ label: t(lang, 'equipment.fact.wantedBy'), value: formatDate(lang, wantedBy) });
  if (unitName) facts.push({ label: t(lang, 'equipment.fact.unit'), value: clip(unitName, 120) });
  return facts;
}

/** The values a form shows: defaults when it opens, the user's inputs after a refused submit. */
export interface RequestFormValues {
  change: string;
  subject: string;
  role: string;
  justification: string;
  startDate: string;
  endDate: string;
  policyConfirmed: boolean;
}

export interface RequestFormInput {
  language: Language;
  system: { id: string; name: string };
  organisationName: string;
  /** Idempotency key of this form: the request id a submission of it gets. */
  formId: string;
  values: RequestFormValues;
  policyRequired: boolean;
  problems?: readonly FieldProblem[];
}

const FORM_FIELDS = [
  'change',
  'subject',
  'role',
  'justification',
  'startDate',
  'endDate',
  'policyConfirmed',
] as const;

const PROBLEM_KEYS: Partial<Record<string, MessageKey>> = {
  required: 'problem.required',
  invalid: 'problem.invalid',
  invalidChoice: 'problem.invalidChoice',
  invalidDate: 'problem.invalidDate',
  tooLong: 'problem.tooLong',
  endBeforeStart: 'problem.endBeforeStart',
  mustConfirm: 'problem.mustConfirm',
  unknownPerson: 'problem.unknownPerson',
  ambiguousPerson: 'problem.ambiguousPerson',
};

/** The catalogue's message for a field problem (the generic "not valid" for a key it has no message for). */
export function problemKey(problem: FieldProblem): MessageKey {
  return PROBLEM_KEYS[problem.problem] ?? 'problem.invalid';
}

/**
 * A form's problems as each input shows them: `error(field)` is the message next to that input (the first problem
 * of a field wins), and `errorText` the line at the top of the form (which says so when every problem concerns
 * something the form has no input for); `messages`, every input's message in order (for the plain-text summary).
 * `inputOf` names the input of an engine field; `keyOf` picks the message.
 */
export function formProblems<F extends string>(
  lang: Language,
  problems: readonly FieldProblem[] | undefined,
  inputs: readonly F[],
  options: {
    inputOf?: (field: string) => string;
    keyOf?: (input: F, problem: FieldProblem) => MessageKey;
  } = {},
): { error: (input: F) => string; errorText: string; messages: string[] } {
  const messages = new Map<F, string>();
  let elsewhere = false;
  for (const problem of problems ?? []) {
    const input = (options.inputOf?.(problem.field) ?? problem.field) as F;
    if (!inputs.includes(input)) {
      elsewhere = true;
      continue;
    }
    if (!messages.has(input))
      messages.set(input, t(lang, options.keyOf?.(input, problem) ?? problemKey(problem)));
  }
  const errorText =
    problems && problems.length > 0
      ? t(lang, elsewhere && messages.size === 0 ? 'request.form.problemElsewhere' : 'request.form.errors')
      : '';
  return { error: (input) => messages.get(input) ?? '', errorText, messages: [...messages.values()] };
}

/** The request form for one system; with `problems`, each input carries its message and the values stay. */
export function requestFormReply(input: RequestFormInput): Reply {
  const lang = input.language;
  const { error, errorText, messages } = formProblems(lang, input.problems, FORM_FIELDS, {
    inputOf: (field) => (field === 'requester' ? 'subject' : field),
  });
  const v = input.values;
  const data: RequestFormCardData = {
    title: clip(t(lang, 'request.form.title', { system: input.system.name }), 200),
    subtitle: clip(input.organisationName, 120),
    errorText,
    systemId: input.system.id,
    formId: input.formId,
    changeLabel: t(lang, 'request.form.change'),
    change: changeOf(v.change) ?? 'new',
    changeChoices: (['new', 'change', 'stop'] as const).map((c) => ({
      title: t(lang, `request.change.${c}`),
      value: c,
    })),
    changeError: error('change'),
    subjectLabel: t(lang, 'request.form.subject'),
    subjectPlaceholder: t(lang, 'request.form.subjectPlaceholder'),
    subject: clip(v.subject, 320),
    subjectError: error('subject'),
    roleLabel: t(lang, 'request.form.role'),
    rolePlaceholder: t(lang, 'request.form.rolePlaceholder'),
    role: clip(v.role, 200),
    roleError: error('role'),
    justificationLabel: t(lang, 'request.form.justification'),
    justificationPlaceholder: t(lang, 'request.form.justificationPlaceholder'),
    justification: clip(v.justification, 2000),
    justificationError: error('justification'),
    startDateLabel: t(lang, 'request.form.startDate'),
    startDate: isoDateOrEmpty(v.startDate),
    startDateError: error('startDate'),
    endDateLabel: t(lang, 'request.form.endDate'),
    endDate: isoDateOrEmpty(v.endDate),
    endDateError: error('endDate'),
    policyRequired: input.policyRequired,
    policyTitle: t(lang, 'request.form.policy'),
    policyConfirmed: v.policyConfirmed ? 'true' : 'false',
    policyError: input.policyRequired ? error('policyConfirmed') : '',
    submitTitle: t(lang, 'request.form.submit'),
  };
  const summary = [data.title, data.errorText, ...messages].filter((s) => s !== '').join(' ');
  return { card: renderCard('requestFormCard', data), summary: summaryOf(summary) };
}

export type RequestListKind = 'mine' | 'awaiting';

/**
 * "My requests" (with Cancel on one's own open ones) or "waiting for me"; each item opens the request card. At
 * most `REQUEST_LIMITS.listItems` items, the rest counted.
 */
export function requestListReply(
  kind: RequestListKind,
  requests: readonly WorkRequest[],
  viewer: RequestViewer,
  language: Language,
  names: RequestNames,
  /** A heading instead of the list's own ("Reminder: 3 requests are waiting for you"). */
  heading?: string,
): Reply {
  const lang = language;
  const person = (id: string) => clip(names.personName(id) ?? id, 120);
  const viewerId = viewer.personId.trim().toLowerCase();
  const shown = requests.slice(0, REQUEST_LIMITS.listItems);
  const items = shown.map((request): RequestListItemCardData => {
    const organisation = names.organisation(request.organisationId);
    return {
      heading: clip(listHeading(request, lang, names), 200),
      detail: clip(
        t(lang, 'requests.item.detail', {
          subject: person(request.subjectId),
          date: formatDate(lang, request.createdAt),
        }),
        200,
      ),
      statusText: clip(
        [
          request.urgent ? t(lang, 'request.urgent') : '',
          (kind === 'awaiting' ? waitingForViewer(request, lang, organisation) : '') ||
            statusOf(request, lang, organisation, person).text,
        ]
          .filter((s) => s !== '')
          .join(' · '),
        300,
      ),
      requestId: request.id,
      version: request.version,
      openTitle: t(lang, 'requests.open'),
      canCancel: kind === 'mine' && request.status === 'open' && request.requesterId === viewerId,
      cancelTitle: t(lang, 'request.cancel'),
    };
  });
  const hidden = requests.length - shown.length;
  const title = heading ?? t(lang, kind === 'mine' ? 'requests.mine.title' : 'requests.awaiting.title');
  const emptyText =
    requests.length === 0 ? t(lang, kind === 'mine' ? 'requests.mine.empty' : 'requests.awaiting.empty') : '';
  const moreText = hidden > 0 ? t(lang, 'requests.more', { count: hidden }) : '';
  const summary = [
    `${title}:`,
    emptyText,
    items.map((i) => `${i.heading} (${i.statusText})`).join('; '),
    moreText,
  ]
    .filter((s) => s !== '')
    .join(' ');
  return {
    card: renderCard('requestListCard', {
      title,
      emptyText,
      items,
      moreText,
      mineTitle: t(lang, 'requests.mine.title'),
      awaitingTitle: t(lang, 'requests.awaiting.title'),
      orderEquipmentTitle: t(lang, 'requests.orderEquipment'),
    }),
    summary: summaryOf(summary),
  };
}

/** "New user – new access: Procapita", "Equipment: Projector × 2". */
function listHeading(request: WorkRequest, lang: Language, names: RequestNames): string {
  if (request.kind === 'equipment') {
    const catalogue = names.catalogue?.(request.organisationId);
    return t(lang, 'requests.item.heading', {
      kind: t(lang, 'equipment.kind'),
      system: equipmentHeading(request, lang, catalogue),
    });
  }
  const change = changeOf(request.fields.change);
  const system = (request.systemId && names.systemName(request.systemId)) ?? request.systemId ?? '';
  return t(lang, 'requests.item.heading', {
    kind: change ? t(lang, `request.change.${change}`) : request.kind,
    system,
  });
}

/** What the awaiting list says the viewer is to do: decide, carry the access change out, or the named step. */
function waitingForViewer(
  request: WorkRequest,
  lang: Language,
  organisation: Organisation | undefined,
): string {
  const stage = request.status === 'open' ? request.stages[request.currentStage] : undefined;
  if (!stage) return '';
  if (STEP_TITLES[stage.name] !== undefined)
    return t(lang, 'requests.item.stepYou', { step: stageTitle(stage, lang, organisation) });
  return t(lang, stepType(stage) === 'work' ? 'requests.item.taskYou' : 'requests.item.waitingYou');
}

function changeOf(value: unknown): 'new' | 'change' | 'stop' | undefined {
  return value === 'new' || value === 'change' || value === 'stop' ? value : undefined;
}

function isoDateOrEmpty(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '';
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

function sourceLabel(source: string, lang: Language, organisation: Organisation | undefined): string {
  const role = SOURCE_ROLES[source];
  if (role) return roleLabel(role, lang, organisation);
  if (source === 'subject_manager') return t(lang, 'request.role.manager');
  return source;
}

function namesText(lang: Language, ids: readonly string[], person: PersonName): string {
  const shown = ids.slice(0, REQUEST_LIMITS.namesPerLine).map(person);
  const hidden = ids.length - shown.length;
  const list = formatList(lang, shown);
  return hidden > 0 ? t(lang, 'request.moreNames', { names: list, count: hidden }) : list;
}

/**
 * A step's title: by its name where the name says what happens (Quote from the IT unit, Installation), else a
 * decision by its role (Manager, IT orderer) and other work as "Carrying out".
 */
function stageTitle(stage: Stage, lang: Language, organisation: Organisation | undefined): string {
  const named = STEP_TITLES[stage.name];
  if (named) return t(lang, named);
  if (stepType(stage) === 'work') return t(lang, 'request.task.title');
  return upperFirst(sourceLabel(stage.role, lang, organisation));
}

/** What every step's rendering needs from the request's card. */
interface StageRender {
  request: WorkRequest;
  lang: Language;
  organisation: Organisation | undefined;
  catalogue: Catalogue | undefined;
  person: PersonName;
}

function stageData(render: StageRender, stage: Stage, index: number): RequestStageCardData {
  const { request, lang, organisation, person } = render;
  const work = stepType(stage) === 'work';
  const lines: { text: string }[] = [];
  // People added by escalation are named on their own lines, with why.
  const escalated = new Set((stage.escalations ?? []).flatMap((e) => e.to));
  const names = () =>
    namesText(
      lang,
      stage.approverIds.filter((id) => !escalated.has(id)),
      person,
    );
  if (stage.approverIds.length === 0)
    lines.push({ text: t(lang, work ? 'step.nobodyWork' : 'request.stage.nobody') });
  else if (stage.awaitingReturn && !stage.decision) {
    lines.push({ text: clip(t(lang, 'request.stage.awaitingReturn', { names: names() }), 600) });
  } else if (stage.resolvedVia !== undefined) {
    const params = { names: names(), role: sourceLabel(stage.resolvedVia, lang, organisation) };
    lines.push({ text: clip(t(lang, work ? 'step.doersStandIn' : 'request.stage.standIn', params), 600) });
  } else {
    const key = work ? 'request.task.assignees' : 'request.stage.deciders';
    lines.push({ text: clip(t(lang, key, { names: names() }), 600) });
  }
  for (const skipped of stage.skipped.slice(0, REQUEST_LIMITS.skippedPerStage)) {
    lines.push({
      text: clip(
        t(lang, 'request.stage.skipped', {
          name: person(skipped.personId),
          reason: t(lang, `request.skipped.${skipped.reason}`),
        }),
        300,
      ),
    });
  }
  for (const escalation of (stage.escalations ?? []).slice(-REQUEST_LIMITS.skippedPerStage)) {
    lines.push({
      text: clip(
        t(lang, 'request.stage.escalated', {
          names: namesText(lang, escalation.to, person),
          role: sourceLabel(escalation.via, lang, organisation),
          days: escalation.afterWorkingDays,
          at: formatDateTime(lang, escalation.at),
        }),
        600,
      ),
    });
  }
  let stateText: string;
  let stateColor: RequestStageCardData['stateColor'] = 'Default';
  const decision = stage.decision;
  if (decision) {
    const params = { name: person(decision.by), at: formatDateTime(lang, decision.at) };
    stateText = t(lang, outcomeKey(stage, decision.outcome), params);
    stateColor = decision.outcome === 'approved' || decision.outcome === 'done' ? 'Good' : 'Attention';
    if (decision.reason) {
      const reason = clip(decision.reason, REQUEST_LIMITS.reason);
      lines.push({
        text: work
          ? t(lang, 'request.task.note', { note: reason })
          : t(lang, 'request.stage.reason', { reason }),
      });
    }
    lines.push(...valueLines(render, stage));
  } else if (request.status === 'open' && index === request.currentStage) {
    stateText = t(lang, work ? 'request.task.waiting' : 'request.stage.waiting');
    stateColor = 'Accent';
  } else if (request.status === 'open') {
    stateText = t(lang, 'request.stage.notYet');
  } else {
    stateText = t(lang, work ? 'step.notDone' : 'request.stage.notDecided');
  }
  return {
    title: t(lang, 'request.stage.title', {
      number: index + 1,
      role: stageTitle(stage, lang, organisation),
    }),
    lines,
    stateText,
    stateColor,
  };
}

function outcomeKey(stage: Stage, outcome: NonNullable<Stage['decision']>['outcome']): MessageKey {
  if (stage.name === 'accept_quote' && (outcome === 'approved' || outcome === 'rejected'))
    return outcome === 'approved' ? 'step.accept_quote.approved' : 'step.accept_quote.rejected';
  switch (outcome) {
    case 'approved':
      return 'request.stage.approved';
    case 'rejected':
      return 'request.stage.rejected';
    case 'done':
      return 'request.task.done';
    case 'failed':
      return 'request.task.failed';
  }
}

/** The values a done work step recorded, each with its label: a cost as money, asset tags as a list, a holder by name. */
function valueLines(render: StageRender, stage: Stage): { text: string }[] {
  const { lang } = render;
  const lines: { text: string }[] = [];
  for (const [key, raw] of Object.entries(stage.values ?? {}).slice(0, REQUEST_LIMITS.valuesPerStage)) {
    if (raw === null || raw === '') continue;
    const value = clip(formatValue(render, key, raw), REQUEST_LIMITS.value);
    const label = VALUE_LABELS[key];
    lines.push({
      text: label ? t(lang, label, { value }) : t(lang, 'step.value.other', { label: clip(key, 60), value }),
    });
  }
  return lines;
}

function formatValue(render: StageRender, key: string, value: string | number | boolean): string {
  if (key === 'cost' && typeof value === 'number')
    return formatMoney(render.lang, value, currencyOf(render.organisation, render.catalogue));
  if (key === 'assetTags' && typeof value === 'string') return assetTagsOf(value).join(', ');
  if (key === 'holder' && typeof value === 'string' && value.includes('@'))
    return render.person(value.trim().toLowerCase());
  return String(value);
}

/**
 * The inputs of the current work step: a quote's cost and delivery time; a delivery's asset tags (one per item),
 * location (prefilled with the request's) and holder (prefilled with whom it is for). What the user typed before a
 * refused click is kept, with the problem under the input.
 */
function stepInputs(render: StageRender, stage: Stage, context: RequestReplyContext): StepInputCardData[] {
  const { request, lang } = render;
  const typed = context.inputs ?? {};
  const problems = new Map((context.problems ?? []).map((p) => [p.field, p]));
  const quantity = Number(request.fields.quantity ?? 1);
  const input = (
    id: string,
    label: string,
    prefill: string,
    options: { placeholder?: string; multiline?: boolean; maxLength?: number } = {},
  ): StepInputCardData => ({
    id,
    label,
    placeholder: options.placeholder ?? '',
    value: clip(typed[id] ?? prefill, options.maxLength ?? 200),
    multiline: options.multiline ?? false,
    maxLength: options.maxLength ?? 200,
    error: problemText(lang, id, problems.get(id), quantity),
  });
  const field = (key: string) => (typeof request.fields[key] === 'string' ? String(request.fields[key]) : '');
  switch (stage.name) {
    case 'quote': {
      const currency = currencyOf(render.organisation, render.catalogue) ?? '';
      return [
        input('cost', t(lang, 'step.input.cost', { currency }), '', {
          placeholder: t(lang, 'step.input.costPlaceholder'),
          maxLength: 40,
        }),
        input('delivery', t(lang, 'step.input.delivery'), '', {
          placeholder: t(lang, 'step.input.deliveryPlaceholder'),
        }),
      ];
    }
    case 'deliver':
      return [
        input('assetTags', t(lang, 'step.input.assetTags', { count: quantity }), '', {
          placeholder: t(lang, 'step.input.assetTagsPlaceholder'),
          multiline: true,
          maxLength: 4000,
        }),
        input('location', t(lang, 'step.input.location'), field('location')),
        input('holder', t(lang, 'step.input.holder'), field('forWhom')),
      ];
    default:
      return [];
  }
}

/** The message under a work step's input; the cost and the asset tags say what is expected of them. */
function problemText(
  lang: Language,
  id: string,
  problem: FieldProblem | undefined,
  quantity: number,
): string {
  if (!problem) return '';
  if (problem.problem === 'required') return t(lang, 'problem.required');
  if (id === 'cost') return t(lang, 'step.problem.cost');
  if (id === 'assetTags') return t(lang, 'step.problem.assetTags', { count: quantity });
  return t(lang, problemKey(problem));
}

/**
 * One line per approver or assignee whom a card could not reach and who still has something to do (the latest
 * reason per person), with their address and a chat link; none once they have decided or are no longer waited for.
 */
function unreachableData(request: WorkRequest, lang: Language, names: RequestNames): UnreachableCardData[] {
  const latest = new Map<string, Unreachable>();
  for (const note of request.unreachable ?? []) {
    if (awaitsPerson(request, note.personId)) latest.set(note.personId, note);
  }
  return [...latest.values()].slice(0, REQUEST_LIMITS.unreachable).map((note) => {
    const name = clip(names.personName(note.personId) ?? note.personId, 120);
    const email = clip(names.personEmail?.(note.personId) ?? note.personId, 254);
    return {
      text: clip(
        t(lang, 'request.unreachable', {
          name,
          reason: t(lang, `request.unreachable.${note.reason}`),
          email,
        }),
        600,
      ),
      chatTitle: clip(t(lang, 'holder.chat', { name }), 120),
      chatUrl: chatUrl(email),
    };
  });
}

function statusOf(
  request: WorkRequest,
  lang: Language,
  organisation: Organisation | undefined,
  person: PersonName,
): { text: string; color: RequestStageCardData['stateColor'] } {
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

function noticeText(notice: RequestNotice, lang: Language, person: PersonName): string {
  switch (notice.kind) {
    case 'submitted':
      return t(lang, 'request.notice.submitted');
    case 'reasonRequired':
      return t(lang, 'request.notice.reasonRequired');
    case 'noteRequired':
      return t(lang, 'request.notice.noteRequired');
    case 'noteTextRequired':
      return t(lang, 'notes.required');
    case 'values':
      return t(lang, 'step.notice.values');
    case 'tooLong':
      return t(lang, 'request.notice.tooLong');
    case 'unchanged': {
      const last = notice.last;
      if (!last) return t(lang, 'request.notice.changed');
      return t(lang, `request.notice.${last.action}`, {
        name: person(last.by),
        at: formatDateTime(lang, last.at),
      });
    }
  }
}
